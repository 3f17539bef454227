import { apiCommonSpec, apiStatus, responseTemplates } from '../../fragments/api-common.ts';
import { v4EndpointService } from '../../fragments/endpoints.ts';
import { v4Flows } from '../../fragments/flows.ts';
import { v4Pages } from '../../fragments/pages.ts';
import { v4Plan } from '../../fragments/plans.ts';
import { array, boolean, enumeration, immutable, integer, map, object, required, string } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';
import { endpointGroup } from './endpoint-groups.ts';
import { listener } from './listeners.ts';

export const API_V4_TYPES = ['PROXY', 'MESSAGE', 'NATIVE', 'LLM_PROXY', 'MCP_PROXY', 'A2A_PROXY'] as const;

const analytics = object('What the gateway records about the traffic of the API.', {
  enabled: required(boolean('Whether analytics are recorded.', { default: true })),
  sampling: object('Which messages are recorded (message APIs).', {
    type: required(enumeration(['PROBABILITY', 'TEMPORAL', 'COUNT', 'WINDOWED_COUNT'], 'Sampling method.')),
    value: required(string('Parameter of the method: a probability, a duration, a count...')),
  }),
  logging: object('Request and message logging.', {
    condition: string('Expression Language condition: only matching requests are logged.'),
    messageCondition: string('Expression Language condition: only matching messages are logged.'),
    content: object('What is logged.', {
      headers: required(boolean('Request and response headers.')),
      messageHeaders: required(boolean('Message headers.')),
      payload: required(boolean('Request and response bodies.')),
      messagePayload: required(boolean('Message bodies.')),
      messageMetadata: required(boolean('Message metadata.')),
    }),
    mode: object('Which side of the gateway is logged.', {
      endpoint: required(boolean('Between the gateway and the backend.')),
      entrypoint: required(boolean('Between the client and the gateway.')),
    }),
    phase: object('Which messages are logged.', {
      request: required(boolean('Requests.')),
      response: required(boolean('Responses.')),
    }),
  }),
  tracing: object('OpenTelemetry tracing.', {
    enabled: boolean('Whether requests are traced.'),
    verbose: boolean('Whether every policy gets its own span.'),
  }),
  otelLogs: object('OpenTelemetry logs.', { enabled: boolean('Whether logs are sent over OpenTelemetry.') }),
  reporterMetricsEnabled: boolean('Whether metrics are sent to the reporters.'),
});

const failover = object('Circuit breaker: retries on another endpoint when a backend is slow or failing.', {
  enabled: boolean('Whether failover is on.', { default: false }),
  maxRetries: integer('Retries before giving up.', { default: 2 }),
  slowCallDuration: integer('Duration, in milliseconds, above which a call counts as failed.', {
    format: 'int64',
    default: 2000,
  }),
  openStateDuration: integer('How long, in milliseconds, the circuit stays open once tripped.', {
    format: 'int64',
    default: 10000,
  }),
  maxFailures: integer('Failures that trip the circuit.', { default: 5 }),
  perSubscription: boolean('Whether the circuit is tracked per subscription.', { default: true }),
});

// Which flow phases and features apply depends on the API type; those rules span lists of unbounded
// length, so the admission webhook checks them (with exact paths) rather than CEL.
const spec = object('The v4 API definition.', {
  ...apiCommonSpec(),
  description: string('What the API does.'),
  hrid: string('Human-readable id of the API in APIM: always <namespace>-<name>; any other value is refused.'),
  type: required(
    immutable(
      enumeration(API_V4_TYPES, 'Type of the API: what its listeners accept and its endpoints reach.'),
      'the type of an API cannot be changed: create a new API instead',
    ),
  ),
  definitionVersion: enumeration(['V4'], 'Definition version.', { default: 'V4' }),
  definitionContext: object('Where the definition comes from and where gateways read it from.', {
    origin: enumeration(['KUBERNETES'], 'Origin of the definition.', { default: 'KUBERNETES' }),
    syncFrom: enumeration(
      ['KUBERNETES', 'MANAGEMENT'],
      'Where gateways read the definition from: KUBERNETES (a ConfigMap written by the operator) or MANAGEMENT (APIM).',
      { default: 'MANAGEMENT' },
    ),
  }),
  lifecycleState: enumeration(
    ['PUBLISHED', 'UNPUBLISHED', 'DEPRECATED', 'ARCHIVED'],
    'Whether the API is listed in the portal.',
    {
      default: 'UNPUBLISHED',
    },
  ),
  listeners: required(array('How clients reach the API.', listener, { minItems: 1 })),
  endpointGroups: required(array('Backends of the API.', endpointGroup, { minItems: 1 })),
  flows: v4Flows,
  flowExecution: object('How flows are chosen.', {
    mode: string('DEFAULT runs every matching flow; BEST_MATCH only the best one.'),
    matchRequired: required(boolean('Whether a request that matches no flow is rejected.')),
  }),
  plans: map(
    'Plans of the API, by key. The key identifies the plan across synchronisations; subscriptions refer to it.',
    v4Plan,
  ),
  pages: v4Pages,
  portalNavigation: array(
    'Where the API appears in the navigation of the portal, in order.',
    object('A navigation entry.', {
      path: required(string('Path of the entry, starting with /.', { pattern: '^/' })),
      displayName: string('Text of the entry.'),
      order: integer('Position of the entry.', { format: 'int32' }),
    }),
  ),
  analytics,
  failover,
  services: object('Services run for the API.', {
    dynamicProperty: v4EndpointService,
  }),
  responseTemplates,
  consoleNotification: object('Console notifications of the API; set by the operator from notificationsRefs.', {
    events: required(array('Events notified.', string('An event.'))),
    groups: required(array('Groups notified.', string('A group id.'))),
  }),
  allowedInApiProducts: boolean('Whether the API can be part of API products.'),
  allowMultiJwtOauth2Subscriptions: boolean(
    'Whether an application may hold several JWT or OAuth2 subscriptions to the API.',
  ),
});

export const apiV4Definition = defineKind({
  kind: 'ApiV4Definition',
  plural: 'apiv4definitions',
  singular: 'apiv4definition',
  shortNames: ['graviteev4apis'],
  description:
    'A v4 API definition: listeners and entrypoints, endpoint groups, flows, plans and documentation, for proxy, message, native Kafka, LLM, MCP and A2A APIs.',
  spec,
  status: apiStatus(),
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'Type of the API.' },
    { name: 'State', type: 'string', jsonPath: '.spec.state', description: 'STARTED or STOPPED.' },
    { name: 'Lifecycle State', type: 'string', jsonPath: '.spec.lifecycleState', description: 'Portal listing.' },
    { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'Version of the API.' },
  ],
});
