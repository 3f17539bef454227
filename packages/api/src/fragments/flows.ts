import {
  array,
  boolean,
  enumeration,
  freeForm,
  integer,
  named,
  object,
  required,
  string,
  withDefault,
} from '../schema/index.ts';
import { flowStep, policyStep } from './steps.ts';

export const HTTP_METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'CONNECT',
  'TRACE',
  'OTHER',
] as const;

const flowId = string('Id of the flow in APIM; computed by the operator when absent.');
const flowName = string('Display name of the flow.');
const flowEnabled = required(boolean('Whether the flow runs.', { default: true }));

/** A flow of a v2 API or of a v2 plan: steps run before (pre) and after (post) the backend call. */
export const v2Flow = named(
  'V2Flow',
  object('Policies run for the requests that match the flow.', {
    id: flowId,
    name: flowName,
    enabled: flowEnabled,
    condition: string('Expression Language condition: the flow runs only when it evaluates to true.'),
    methods: array(
      'HTTP methods the flow applies to; empty means every method.',
      enumeration(HTTP_METHODS, 'An HTTP method.'),
      { default: [] },
    ),
    'path-operator': object('Which request paths the flow applies to.', {
      path: string('Path, relative to the context path of the API, for example /orders/:id.'),
      operator: enumeration(['STARTS_WITH', 'EQUALS'], 'How the request path is compared with the path.', {
        default: 'STARTS_WITH',
      }),
    }),
    pre: array('Steps run on the request, before it reaches the backend.', policyStep, { default: [] }),
    post: array('Steps run on the response, after the backend answered.', policyStep, { default: [] }),
    consumers: array(
      'Restricts the flow to some consumers.',
      object('A consumer of the API.', {
        consumerId: string('Id of the consumer.'),
        consumerType: integer('Type of the consumer, as APIM numbers it (0 for a tag).'),
      }),
      { default: [] },
    ),
  }),
);

const phase = (description: string) => array(description, flowStep);

/** A flow of a v4 API or of a v4 plan. Which phases apply depends on the API type. */
export const v4Flow = named(
  'V4Flow',
  object('Policies run in the phases of the requests, messages or connections that match the flow.', {
    id: flowId,
    name: flowName,
    enabled: flowEnabled,
    selectors: array(
      'What the flow applies to: http (path, path operator, methods), channel (message APIs), condition or mcp selectors.',
      freeForm('A selector; its type field says which kind it is.'),
    ),
    request: phase('Steps run on the request (proxy APIs).'),
    response: phase('Steps run on the response (proxy APIs).'),
    subscribe: phase('Steps run when messages are delivered to consumers (message APIs).'),
    publish: phase('Steps run when messages are published to the backend (message APIs).'),
    connect: phase('Steps run when a client connects (native APIs).'),
    interact: phase('Steps run on each interaction of a connected client (native APIs).'),
    tags: array('Sharding tags the flow is restricted to.', string('A sharding tag.')),
  }),
);

export const v2Flows = withDefault(array('Flows of the API, run for every plan.', v2Flow), []);
export const v4Flows = withDefault(array('Flows of the API, run for every plan.', v4Flow), []);
