import { reference } from '../../fragments/reference.ts';
import { processingStatus, status } from '../../fragments/status.ts';
import {
  array,
  dateTime,
  enumeration,
  freeForm,
  immutable,
  map,
  object,
  required,
  string,
} from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

const apiRef = object('The API subscribed to. Without a namespace, it is looked up in this namespace.', {
  name: required(string('Name of the API object.')),
  namespace: string("Namespace of the API object. Defaults to this object's namespace."),
  kind: enumeration(['ApiV4Definition', 'ApiDefinition'], 'Kind of the API object; ApiV4Definition when left out.'),
});

export const subscription = defineKind({
  kind: 'Subscription',
  plural: 'subscriptions',
  singular: 'subscription',
  shortNames: ['graviteesubscriptions'],
  description:
    'A subscription of an Application to a plan of an API. The API and the application must be managed through the same ManagementContext.',
  spec: object('The subscription.', {
    api: required(immutable(apiRef, 'the API of a subscription cannot be changed')),
    application: required(
      immutable(reference('the Application that subscribes'), 'the application of a subscription cannot be changed'),
    ),
    plan: required(
      immutable(
        string('Key of the plan in the API: the key of the plans map of a v4 API, or the plan name of a v2 API.'),
        'the plan of a subscription cannot be changed',
      ),
    ),
    endingAt: dateTime('When the subscription ends (RFC 3339). Without it, the subscription does not end.'),
    metadata: map('Metadata stored with the subscription in APIM.', string('Value.')),
    apiKeys: array(
      'API keys to use instead of generated ones (API_KEY plans only).',
      object('An API key.', {
        key: required(string('The key.', { minLength: 32, maxLength: 256 })),
        expireAt: dateTime('When the key expires (RFC 3339).'),
      }),
      { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['key'] },
    ),
    consumerConfiguration: object('Where messages are pushed to, for subscriptions to PUSH plans.', {
      entrypointId: required(string('Entrypoint that pushes the messages, for example webhook.')),
      channel: string('Channel the consumer receives messages from.'),
      entrypointConfiguration: freeForm('Configuration of the entrypoint, for example the callback URL of a webhook.'),
    }),
  }),
  status: status('What the operator last observed of the subscription.', {
    id: string('Id of the subscription in APIM.'),
    startedAt: string('When the subscription started (RFC 3339).'),
    endingAt: string('When the subscription ends (RFC 3339).'),
    processingStatus,
  }),
  printerColumns: [
    { name: 'API', type: 'string', jsonPath: '.spec.api.name', description: 'The API subscribed to.' },
    {
      name: 'Application',
      type: 'string',
      jsonPath: '.spec.application.name',
      description: 'The subscribing application.',
    },
    { name: 'Plan', type: 'string', jsonPath: '.spec.plan', description: 'The plan subscribed to.' },
    {
      name: 'Started At',
      type: 'string',
      jsonPath: '.status.startedAt',
      description: 'When the subscription started.',
    },
    { name: 'Ending At', type: 'string', jsonPath: '.status.endingAt', description: 'When the subscription ends.' },
  ],
});
