import { describe, expect, it } from 'vitest';
import type { ApiV4Definition } from '@gko/api';
import { createValidator } from '@gko/api/validation';
import { upstreamExamples, upstreamReferenceDir } from '@gko/api/corpus';
import { NO_REFERENCES, type ApiReferences } from '@gko/mapi';
import { isLocalModeConfigMap } from '../../local-mode/configmap.ts';
import { apiV4GatewayId, type GatewayApiV4 } from './gateway-definition.ts';
import { apiV4LocalConfigMap } from './local-configmap.ts';

const API_ID = '3d2a6f0e-8c1b-4e5f-9a7d-1b2c3d4e5f60';

const orders: ApiV4Definition = {
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiV4Definition',
  metadata: { name: 'orders', namespace: 'team-a', uid: 'u-1' },
  spec: {
    name: 'Orders',
    version: '1.0',
    type: 'PROXY',
    definitionContext: { origin: 'KUBERNETES', syncFrom: 'KUBERNETES' },
    listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy' }] }],
    endpointGroups: [{ name: 'backend', endpoints: [{ type: 'http-proxy', inheritConfiguration: false }] }],
    flows: [{ request: [{ sharedPolicyGroupRef: { name: 'headers' } }] }],
    plans: {
      free: { name: 'Free', security: { type: 'KEY_LESS' } },
      gold: { name: 'Gold', security: { type: 'JWT' } },
    },
  },
};

const refs: ApiReferences = {
  ...NO_REFERENCES,
  sharedPolicyGroup: (ref) => ({ hrid: `${ref.namespace}-${ref.name}`, crossId: 'spg-1', name: ref.name }),
};

describe('the local-mode ConfigMap of a v4 API', () => {
  const configMap = apiV4LocalConfigMap(orders, refs, { id: API_ID });

  it('is one gateways deploy, owned by the API', () => {
    expect(configMap.metadata.name).toBe('orders');
    expect(configMap.metadata.namespace).toBe('team-a');
    expect(configMap.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'ApiV4Definition', name: 'orders', uid: 'u-1' }),
    ]);
    expect(isLocalModeConfigMap(configMap, orders)).toBe(true);
  });

  it('flags the definition as a 4.0.0 one and carries the gateway form', () => {
    expect(Object.keys(configMap.data).sort()).toEqual([
      'apiDefinitionVersion',
      'definition',
      'environmentId',
      'organizationId',
    ]);
    expect(configMap.data['apiDefinitionVersion']).toBe('4.0.0');
    expect(configMap.data['organizationId']).toBe('DEFAULT');
    expect(configMap.data['environmentId']).toBe('DEFAULT');
    const definition = JSON.parse(configMap.data['definition']!) as GatewayApiV4;
    // What gateways read before parsing the rest (ConfigMapEventFetcher).
    expect(definition).toMatchObject({ id: API_ID, type: 'proxy', definitionVersion: '4.0.0' });
    expect(definition.plans.map((p) => p.name)).toEqual(['free', 'gold']);
    expect(definition.flows[0]?.request?.[0]?.policy).toBe('shared-policy-group-policy');
  });

  it('is written the same from the same API', () => {
    const again = apiV4LocalConfigMap(structuredClone(orders), refs, { id: API_ID });
    expect(again.data['definition']).toBe(configMap.data['definition']);
    expect(again).toEqual(configMap);
  });

  it('is written the same whatever the order the API was read in', () => {
    const reordered: ApiV4Definition = {
      ...orders,
      spec: {
        plans: { gold: orders.spec.plans!['gold']!, free: orders.spec.plans!['free']! },
        endpointGroups: orders.spec.endpointGroups,
        listeners: orders.spec.listeners,
        flows: orders.spec.flows,
        definitionContext: { syncFrom: 'KUBERNETES', origin: 'KUBERNETES' },
        type: 'PROXY',
        version: '1.0',
        name: 'Orders',
      },
    };
    expect(apiV4LocalConfigMap(reordered, refs, { id: API_ID }).data['definition']).toBe(configMap.data['definition']);
  });

  it('changes when the API does', () => {
    const changed = { ...orders, spec: { ...orders.spec, version: '1.1' } };
    expect(apiV4LocalConfigMap(changed, refs, { id: API_ID }).data['definition']).not.toBe(
      configMap.data['definition'],
    );
  });
});

const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream reference data (../shared/reference/gko) not found: upstream v4 example skipped');

describe.skipIf(!dir)('an upstream v4 example in local mode', () => {
  // Upstream has no v4 example synced from Kubernetes; its basic one is switched to it, as users do.
  const example = (dir ? upstreamExamples(dir) : []).find((e) => e.file === 'apim/api_definition/v4/api-v4.yml');
  const stored = createValidator().withDefaults(example?.object ?? {}) as unknown as ApiV4Definition;
  const api: ApiV4Definition = {
    ...stored,
    // The namespace of upstream's recorded run of this example, whose ids it got are known.
    metadata: { ...stored.metadata, namespace: 'dfx025827-29', uid: 'u-2' },
    spec: { ...stored.spec, definitionContext: { origin: 'KUBERNETES', syncFrom: 'KUBERNETES' } },
  };

  it('becomes a gateway definition', () => {
    expect(example).toBeDefined();
    const id = apiV4GatewayId(api);
    expect(id).toBe('84a9d7d3-7761-91d0-cd49-dacdbeda9357');
    const configMap = apiV4LocalConfigMap(api, NO_REFERENCES, { id });
    expect(configMap.metadata.name).toBe('api-v4');
    const definition = JSON.parse(configMap.data['definition']!);
    expect(definition).toMatchObject({
      id,
      name: 'api-v4',
      apiVersion: '1.0',
      definitionVersion: '4.0.0',
      type: 'proxy',
      listeners: [{ type: 'http', paths: [{ path: '/echo-v4' }], entrypoints: [{ type: 'http-proxy', qos: 'auto' }] }],
      endpointGroups: [
        {
          name: 'Default HTTP proxy group',
          type: 'http-proxy',
          loadBalancer: { type: 'round-robin' },
          endpoints: [
            {
              name: 'Default HTTP proxy',
              type: 'http-proxy',
              inheritConfiguration: false,
              configuration: { target: 'https://api.gravitee.io/echo' },
              secondary: false,
            },
          ],
        },
      ],
      flowExecution: { mode: 'default', matchRequired: false },
      plans: [
        {
          id: 'bc6a8351-36c7-8ff3-c10c-dfd99d604679',
          name: 'KeyLess',
          security: { type: 'key-less', configuration: {} },
          mode: 'standard',
          status: 'published',
        },
      ],
    });
    expect(definition).not.toHaveProperty('contextRef');
    expect(definition).not.toHaveProperty('description');
  });
});
