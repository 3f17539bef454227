import { describe, expect, it } from 'vitest';
import type { ApiV4Definition } from '@gko/api';
import {
  hashUuid,
  NO_REFERENCES,
  SHARED_POLICY_GROUP_POLICY,
  UnresolvedReferenceError,
  type ApiReferences,
} from '@gko/mapi';
import { apiV4GatewayId, gatewayApiV4, gatewayEnum } from './gateway-definition.ts';

const API_ID = '3d2a6f0e-8c1b-4e5f-9a7d-1b2c3d4e5f60';

const api = (spec: Partial<ApiV4Definition['spec']>, status?: ApiV4Definition['status']): ApiV4Definition => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiV4Definition',
  metadata: { name: 'orders', namespace: 'team-a', uid: 'u-1' },
  spec: {
    name: 'Orders',
    version: '1.2',
    type: 'PROXY',
    listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy', qos: 'AUTO' }] }],
    endpointGroups: [
      {
        name: 'backend',
        type: 'http-proxy',
        endpoints: [
          {
            name: 'one',
            type: 'http-proxy',
            inheritConfiguration: false,
            configuration: { target: 'https://orders.internal' },
          },
        ],
      },
    ],
    ...spec,
  },
  ...(status ? { status } : {}),
});

describe('enum values in the gateway form', () => {
  it('are lower case with dashes', () => {
    expect(['KEY_LESS', 'API_KEY', 'BEST_MATCH', 'LLM_PROXY', 'AT_LEAST_ONCE', 'jwt'].map(gatewayEnum)).toEqual([
      'key-less',
      'api-key',
      'best-match',
      'llm-proxy',
      'at-least-once',
      'jwt',
    ]);
  });
});

describe('a v4 proxy API in the gateway form', () => {
  const proxy = api({
    crossId: 'cross-1',
    description: 'Orders of the shop',
    state: 'STARTED',
    lifecycleState: 'PUBLISHED',
    visibility: 'PUBLIC',
    definitionContext: { origin: 'KUBERNETES', syncFrom: 'KUBERNETES' },
    contextRef: { name: 'apim' },
    groups: ['Platform'],
    groupRefs: [{ name: 'developers' }],
    categories: ['shop'],
    labels: ['orders'],
    members: [{ source: 'memory', sourceId: 'alice' }],
    metadata: [{ key: 'team', name: 'Team', format: 'STRING', value: 'a' }],
    notificationsRefs: [{ name: 'console' }],
    pages: { docs: { name: 'Docs', type: 'MARKDOWN', content: '# Orders' } },
    tags: ['internal'],
    properties: [{ key: 'region', value: 'eu', encryptable: true }, { value: 'no key' }],
    flowExecution: { mode: 'BEST_MATCH', matchRequired: true },
    flows: [
      {
        name: 'all',
        selectors: [{ type: 'HTTP', path: '/', pathOperator: 'STARTS_WITH', methods: ['GET'] }],
        request: [{ name: 'limit', policy: 'rate-limit', configuration: { rate: { limit: 10 } } }],
      },
    ],
    plans: {
      // Listed out of order: plans come out sorted by key.
      'key-less': { name: 'Free', security: { type: 'KEY_LESS' } },
      'api key': {
        name: 'Premium',
        description: 'Pay as you go',
        security: { type: 'API_KEY', configuration: { propagateApiKey: true } },
        status: 'DEPRECATED',
        validation: 'MANUAL',
        characteristics: ['fast'],
        tags: ['internal'],
        selectionRule: '{#context.attributes["x"] != null}',
      },
    },
    failover: { enabled: true, maxRetries: 3 },
    responseTemplates: { DEFAULT: { '*/*': { status: 500, body: 'oops' } } },
    allowedInApiProducts: true,
  });
  const definition = gatewayApiV4(proxy, NO_REFERENCES, {
    id: API_ID,
    crossId: 'cross-1',
    planIds: { 'api-key': 'apim-plan-1' },
  });

  it('carries the identity and the versions gateways read', () => {
    expect(definition.id).toBe(API_ID);
    expect(definition.crossId).toBe('cross-1');
    expect(definition.name).toBe('Orders');
    expect(definition.apiVersion).toBe('1.2');
    expect(definition.definitionVersion).toBe('4.0.0');
    expect(definition.type).toBe('proxy');
    expect(definition.definitionContext).toEqual({ origin: 'KUBERNETES', syncFrom: 'KUBERNETES' });
  });

  it('leaves out what only APIM or the operator reads', () => {
    for (const field of [
      'description',
      'state',
      'lifecycleState',
      'visibility',
      'contextRef',
      'groups',
      'groupRefs',
      'categories',
      'labels',
      'members',
      'metadata',
      'notificationsRefs',
      'pages',
      'version',
    ]) {
      expect(definition, field).not.toHaveProperty(field);
    }
  });

  it('names the API by its HRID, as APIM does (gateways do not read it)', () => {
    expect(definition.hrid).toBe('team-a-orders');
  });

  it('lower-cases the listener type and the entrypoint qos', () => {
    expect(definition.listeners).toEqual([
      { type: 'http', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy', qos: 'auto' }] },
    ]);
  });

  it('gives endpoint groups a gateway load balancer', () => {
    expect(definition.endpointGroups).toEqual([
      {
        name: 'backend',
        type: 'http-proxy',
        loadBalancer: { type: 'round-robin' },
        endpoints: [
          {
            name: 'one',
            type: 'http-proxy',
            inheritConfiguration: false,
            configuration: { target: 'https://orders.internal' },
          },
        ],
      },
    ]);
  });

  it('lists the plans by key, with ids, the key as name and gateway enum values', () => {
    expect(definition.plans).toEqual([
      {
        // The APIM id, known by the plan's HRID.
        id: 'apim-plan-1',
        name: 'api key',
        security: { type: 'api-key', configuration: { propagateApiKey: true } },
        mode: 'standard',
        status: 'deprecated',
        selectionRule: '{#context.attributes["x"] != null}',
        tags: ['internal'],
        flows: [],
      },
      {
        id: hashUuid(API_ID, 'key-less'),
        name: 'key-less',
        security: { type: 'key-less', configuration: {} },
        mode: 'standard',
        status: 'published',
        flows: [],
      },
    ]);
  });

  it('keeps flows, with lower-cased selector types, and the flow execution mode', () => {
    expect(definition.flowExecution).toEqual({ mode: 'best-match', matchRequired: true });
    expect(definition.flows).toEqual([
      {
        name: 'all',
        enabled: true,
        selectors: [{ type: 'http', path: '/', pathOperator: 'STARTS_WITH', methods: ['GET'] }],
        request: [{ name: 'limit', enabled: true, policy: 'rate-limit', configuration: { rate: { limit: 10 } } }],
      },
    ]);
  });

  it('keeps the settings gateways apply', () => {
    expect(definition.tags).toEqual(['internal']);
    expect(definition.properties).toEqual([{ key: 'region', value: 'eu' }]);
    expect(definition.resources).toEqual([]);
    expect(definition.failover).toEqual({ enabled: true, maxRetries: 3 });
    expect(definition.responseTemplates).toEqual({ DEFAULT: { '*/*': { status: 500, body: 'oops' } } });
    expect(definition.allowedInApiProducts).toBe(true);
  });

  it('always has a plan list, even without plans', () => {
    expect(gatewayApiV4(api({}), NO_REFERENCES, { id: API_ID }).plans).toEqual([]);
  });
});

describe('a v4 message API in the gateway form', () => {
  const message = api({
    type: 'MESSAGE',
    listeners: [
      {
        type: 'HTTP',
        paths: [{ path: '/events', overrideAccess: true }],
        entrypoints: [{ type: 'sse', qos: 'AT_LEAST_ONCE', dlq: {}, configuration: { heartbeatIntervalInMs: 5000 } }],
        cors: { enabled: true, allowOrigin: ['*'] },
      },
      {
        type: 'SUBSCRIPTION',
        entrypoints: [{ type: 'webhook', qos: 'AT_MOST_ONCE', dlq: { endpoint: 'dead-letters' } }],
      },
    ],
    endpointGroups: [
      {
        name: 'kafka',
        loadBalancer: { type: 'WEIGHTED_RANDOM' },
        sharedConfiguration: { consumer: { enabled: true, topics: ['events'] } },
        endpoints: [{ type: 'kafka', inheritConfiguration: true, configuration: { bootstrapServers: 'kafka:9092' } }],
      },
    ],
    analytics: {
      enabled: true,
      sampling: { type: 'WINDOWED_COUNT', value: '1/PT10S' },
      logging: { mode: { entrypoint: true, endpoint: false }, messageCondition: '{#message.content != null}' },
    },
    flows: [
      {
        name: 'events',
        selectors: [{ type: 'CHANNEL', channel: '/', channelOperator: 'STARTS_WITH', operations: ['SUBSCRIBE'] }],
        subscribe: [{ name: 'filter', policy: 'message-filtering', messageCondition: '{#message.headers != null}' }],
        publish: [{ name: 'transform', policy: 'json-xml', enabled: false }],
      },
    ],
    plans: {
      push: { name: 'Webhooks', mode: 'PUSH', status: 'STAGING' },
    },
  });
  const definition = gatewayApiV4(message, NO_REFERENCES, { id: API_ID });

  it('has the message type', () => {
    expect(definition.type).toBe('message');
  });

  it('keeps every listener field, converting the type and the qos, and drops an empty dead letter queue', () => {
    expect(definition.listeners).toEqual([
      {
        type: 'http',
        paths: [{ path: '/events', overrideAccess: true }],
        entrypoints: [{ type: 'sse', qos: 'at-least-once', configuration: { heartbeatIntervalInMs: 5000 } }],
        cors: { enabled: true, allowOrigin: ['*'] },
      },
      {
        type: 'subscription',
        entrypoints: [{ type: 'webhook', qos: 'at-most-once', dlq: { endpoint: 'dead-letters' } }],
      },
    ]);
  });

  it('names unnamed endpoints and types the group after them', () => {
    expect(definition.endpointGroups).toEqual([
      {
        name: 'kafka',
        type: 'kafka',
        loadBalancer: { type: 'weighted-random' },
        sharedConfiguration: { consumer: { enabled: true, topics: ['events'] } },
        endpoints: [
          {
            name: 'kafka-1',
            type: 'kafka',
            inheritConfiguration: true,
            configuration: { bootstrapServers: 'kafka:9092' },
          },
        ],
      },
    ]);
  });

  it('calls message sampling messageSampling, with the gateway label', () => {
    expect(definition.analytics).toEqual({
      enabled: true,
      messageSampling: { type: 'windowed_count', value: '1/PT10S' },
      logging: { mode: { entrypoint: true, endpoint: false }, messageCondition: '{#message.content != null}' },
    });
  });

  it('keeps message phases and message conditions', () => {
    expect(definition.flows).toEqual([
      {
        name: 'events',
        enabled: true,
        selectors: [{ type: 'channel', channel: '/', channelOperator: 'STARTS_WITH', operations: ['SUBSCRIBE'] }],
        subscribe: [
          {
            name: 'filter',
            enabled: true,
            policy: 'message-filtering',
            messageCondition: '{#message.headers != null}',
          },
        ],
        publish: [{ name: 'transform', enabled: false, policy: 'json-xml' }],
      },
    ]);
  });

  it('has push plans without security', () => {
    expect(definition.plans).toEqual([
      { id: hashUuid(API_ID, 'push'), name: 'push', mode: 'push', status: 'staging', flows: [] },
    ]);
  });
});

describe('references in the gateway form', () => {
  const refs: ApiReferences = {
    ...NO_REFERENCES,
    sharedPolicyGroup: (ref) =>
      ref.namespace === 'team-a' && ref.name === 'headers'
        ? { hrid: 'team-a-headers', crossId: 'spg-cross-1', name: 'headers' }
        : undefined,
    resource: (ref) =>
      ref.namespace === 'shared' && ref.name === 'cache'
        ? { name: 'my-cache', type: 'cache', configuration: { timeToLiveSeconds: 60 } }
        : undefined,
    groupNames: ['Developers'],
  };

  it('runs shared policy groups through their policy, in API and plan flows', () => {
    const spgStep = { sharedPolicyGroupRef: { name: 'headers' }, condition: '{#request.headers["x"] != null}' };
    const definition = gatewayApiV4(
      api({
        flows: [{ name: 'api', request: [spgStep] }],
        plans: { free: { name: 'Free', security: { type: 'KEY_LESS' }, flows: [{ response: [spgStep] }] } },
      }),
      refs,
      { id: API_ID },
    );
    const expected = {
      name: 'headers',
      enabled: true,
      policy: SHARED_POLICY_GROUP_POLICY,
      configuration: { sharedPolicyGroupId: 'spg-cross-1', hrid: 'team-a-headers' },
      condition: '{#request.headers["x"] != null}',
    };
    expect(definition.flows[0]!.request).toEqual([expected]);
    expect(definition.plans[0]!.flows[0]!.response).toEqual([expected]);
  });

  it('calls the connect phase of native flows entrypointConnect', () => {
    const definition = gatewayApiV4(
      api({
        type: 'NATIVE',
        listeners: [{ type: 'KAFKA', host: 'kafka.local', port: 9092, entrypoints: [{ type: 'native-kafka' }] }],
        flows: [{ connect: [{ sharedPolicyGroupRef: { name: 'headers' } }], interact: [{ policy: 'quota' }] }],
        plans: { kafka: { name: 'Kafka', security: { type: 'KEY_LESS' }, bootstrapPort: 9092 } },
      }),
      refs,
      { id: API_ID },
    );
    expect(definition.type).toBe('native');
    expect(definition.listeners).toEqual([
      { type: 'kafka', host: 'kafka.local', port: 9092, entrypoints: [{ type: 'native-kafka' }] },
    ]);
    expect(definition.flows[0]).toEqual({
      enabled: true,
      entrypointConnect: [
        {
          name: 'headers',
          enabled: true,
          policy: SHARED_POLICY_GROUP_POLICY,
          configuration: { sharedPolicyGroupId: 'spg-cross-1', hrid: 'team-a-headers' },
        },
      ],
      interact: [{ enabled: true, policy: 'quota' }],
    });
    expect(definition.plans[0]).toMatchObject({ name: 'kafka', bootstrapPort: 9092 });
  });

  it('inlines referenced resources', () => {
    const definition = gatewayApiV4(
      api({
        resources: [
          { ref: { name: 'cache', namespace: 'shared' } },
          { name: 'oauth', type: 'oauth2', configuration: { introspectionEndpoint: 'https://am' }, enabled: false },
        ],
      }),
      refs,
      { id: API_ID },
    );
    expect(definition.resources).toEqual([
      { name: 'my-cache', type: 'cache', configuration: { timeToLiveSeconds: 60 }, enabled: true },
      { name: 'oauth', type: 'oauth2', configuration: { introspectionEndpoint: 'https://am' }, enabled: false },
    ]);
  });

  it('says which reference is missing and where', () => {
    const spec = {
      plans: { free: { name: 'Free', flows: [{ request: [{ sharedPolicyGroupRef: { name: 'nope' } }] }] } },
    };
    expect(() => gatewayApiV4(api(spec), refs, { id: API_ID })).toThrow(UnresolvedReferenceError);
    expect(() => gatewayApiV4(api(spec), refs, { id: API_ID })).toThrow(
      'spec.plans[free].flows[0].request[0].sharedPolicyGroupRef: SharedPolicyGroup team-a/nope does not exist',
    );
  });
});

describe('endpoint group client settings in the gateway form', () => {
  it('move to the shared configuration, without overriding it', () => {
    const definition = gatewayApiV4(
      api({
        endpointGroups: [
          {
            name: 'backend',
            http: { connectTimeout: 1000 },
            ssl: { trustAll: true },
            headers: { 'x-team': 'a' },
            sharedConfiguration: { ssl: { trustAll: false } },
            endpoints: [{ name: 'one', type: 'http-proxy', inheritConfiguration: true }],
          },
        ],
      }),
      NO_REFERENCES,
      { id: API_ID },
    );
    expect(definition.endpointGroups[0]).toMatchObject({
      sharedConfiguration: {
        http: { connectTimeout: 1000 },
        ssl: { trustAll: false },
        headers: [{ name: 'x-team', value: 'a' }],
      },
    });
    expect(definition.endpointGroups[0]).not.toHaveProperty('http');
  });
});

describe('the gateway id of a v4 API', () => {
  const managed = {
    type: 'AutomationAPIManaged',
    status: 'True' as const,
    reason: 'AutomationAPIManaged',
    message: '',
    lastTransitionTime: '2026-01-01T00:00:00Z',
  };
  it("is the UUID APIM knows the API by, else APIM's once known, else a UUID of the API's HRID", () => {
    expect(apiV4GatewayId(api({}, { id: 'apim-id', conditions: [managed] }))).toBe('apim-id');
    expect(apiV4GatewayId(api({}, { id: 'legacy-id' }))).toBe('legacy-id');
    expect(apiV4GatewayId(api({ id: 'spec-id' }))).toBe('spec-id');
    expect(apiV4GatewayId(api({}))).toBe(hashUuid('team-a-orders'));
    // The HRID is computed, never taken from the spec.
    expect(apiV4GatewayId(api({ hrid: 'orders-api' }))).toBe(hashUuid('team-a-orders'));
  });
});
