import { describe, expect, it } from 'vitest';
import type { ApiDefinition } from '@gko/api';
import { createValidator } from '@gko/api/validation';
import { upstreamExamples, upstreamReferenceDir } from '@gko/api/corpus';
import { hashUuid, NO_REFERENCES, v2ApiIds, type ApiReferences, type ManagementV1 } from '@gko/mapi';
import { isLocalModeConfigMap } from '../../local-mode/configmap.ts';
import { apiV2LocalConfigMap, gatewayApiV2 } from './local-configmap.ts';

const legacy: ApiDefinition = {
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiDefinition',
  metadata: { name: 'legacy', namespace: 'team-a', uid: 'c0ffee00-0000-4000-8000-000000000001' },
  spec: {
    name: 'Legacy',
    version: '1.0',
    description: 'A v2 API',
    local: true,
    groupRefs: [{ name: 'developers' }],
    notificationsRefs: [{ name: 'console' }],
    proxy: {
      virtual_hosts: [{ path: '/legacy' }],
      groups: [{ name: 'default', endpoints: [{ name: 'one', target: 'https://legacy.internal' }] }],
    },
    resources: [{ ref: { name: 'cache' } }],
    plans: [
      { name: 'Free', description: 'Free plan', security: 'KEY_LESS' },
      { name: 'Keys', description: 'Key plan', security: 'API_KEY' },
    ],
  },
};

const refs: ApiReferences = {
  ...NO_REFERENCES,
  resource: (ref) =>
    ref.namespace === 'team-a' && ref.name === 'cache'
      ? { name: 'my-cache', type: 'cache', configuration: { timeToLiveSeconds: 60 } }
      : undefined,
  groupNames: ['Developers'],
};

describe('the local-mode ConfigMap of a v2 API', () => {
  const ids = v2ApiIds(legacy);
  const configMap = apiV2LocalConfigMap(legacy, refs, { id: ids.id, crossId: ids.crossId });
  const definition = JSON.parse(configMap.data['definition']!) as ManagementV1.ApiV2Definition;

  it('is one gateways deploy, owned by the API, without a definition version flag', () => {
    expect(configMap.metadata).toMatchObject({ name: 'legacy', namespace: 'team-a' });
    expect(configMap.metadata.ownerReferences[0]).toMatchObject({ kind: 'ApiDefinition', uid: legacy.metadata.uid });
    expect(isLocalModeConfigMap(configMap, legacy)).toBe(true);
    // Gateways take a ConfigMap without apiDefinitionVersion for a v2 one.
    expect(configMap.data).not.toHaveProperty('apiDefinitionVersion');
    expect(configMap.data['organizationId']).toBe('DEFAULT');
    expect(configMap.data['environmentId']).toBe('DEFAULT');
  });

  it('carries the spec with the ids it is deployed under', () => {
    // Without status or spec ids, the API id is the object's uid.
    expect(definition.id).toBe(legacy.metadata.uid);
    expect(definition.crossId).toBe(ids.crossId);
    expect(definition).toMatchObject({
      name: 'Legacy',
      version: '1.0',
      description: 'A v2 API',
      gravitee: '2.0.0',
      definition_context: { origin: 'kubernetes', mode: 'fully_managed', syncFrom: 'KUBERNETES' },
      proxy: legacy.spec.proxy,
    });
  });

  it('gives every plan its ids, derived as upstream derives them', () => {
    const crossId = hashUuid(ids.id, '/Free');
    expect(definition.plans?.[0]).toMatchObject({
      name: 'Free',
      security: 'KEY_LESS',
      crossId,
      id: hashUuid(crossId, '/Free'),
      api: ids.id,
    });
    expect(new Set(definition.plans?.map((p) => p.id)).size).toBe(2);
  });

  it('inlines resources and leaves out the fields only the operator reads', () => {
    expect(definition.resources).toEqual([
      { name: 'my-cache', type: 'cache', configuration: { timeToLiveSeconds: 60 }, enabled: true },
    ]);
    for (const field of ['contextRef', 'local', 'groupRefs', 'notificationsRefs']) {
      expect(definition, field).not.toHaveProperty(field);
    }
  });

  it("takes APIM's ids when the API has a context", () => {
    const crossId = hashUuid('apim-id/Keys');
    const withContext: ApiDefinition = { ...legacy, spec: { ...legacy.spec, contextRef: { name: 'apim' } } };
    const deployed = gatewayApiV2(withContext, refs, {
      id: 'apim-id',
      crossId: 'apim-cross',
      organizationId: 'org',
      environmentId: 'env',
      planIds: { [crossId]: 'apim-plan-keys' },
    });
    expect(deployed).toMatchObject({ id: 'apim-id', crossId: 'apim-cross' });
    expect(deployed.plans?.[1]).toMatchObject({ name: 'Keys', crossId, id: 'apim-plan-keys', api: 'apim-id' });
    expect(deployed.plans?.[0]?.id).toBe(hashUuid(hashUuid('apim-id/Free'), '/Free'));
  });

  it('is written the same from the same API', () => {
    const again = apiV2LocalConfigMap(structuredClone(legacy), refs, { id: ids.id, crossId: ids.crossId });
    expect(again).toEqual(configMap);
  });
});

const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream reference data (../shared/reference/gko) not found: upstream v2 example skipped');

describe.skipIf(!dir)('an upstream local-mode v2 example', () => {
  const example = (dir ? upstreamExamples(dir) : []).find(
    (e) => e.file === 'apim/api_definition/v2/api-with-api-key-plan.yml',
  );
  const stored = createValidator().withDefaults(example?.object ?? {}) as unknown as ApiDefinition;
  const api: ApiDefinition = { ...stored, metadata: { ...stored.metadata, namespace: 'default', uid: 'u-3' } };

  it('becomes a gateway definition', () => {
    expect(example).toBeDefined();
    expect(api.spec.local).toBe(true);
    const ids = v2ApiIds(api);
    const configMap = apiV2LocalConfigMap(api, NO_REFERENCES, {
      ...ids,
      organizationId: 'org',
      environmentId: 'env',
    });
    expect(configMap.metadata.name).toBe('api-with-api-key');
    expect(configMap.data).toMatchObject({ organizationId: 'org', environmentId: 'env' });
    const definition = JSON.parse(configMap.data['definition']!);
    expect(definition).toMatchObject({
      id: 'u-3',
      crossId: ids.crossId,
      name: 'api-with-api-key',
      gravitee: '2.0.0',
      state: 'STARTED',
      proxy: {
        virtual_hosts: [{ path: '/api-with-api-key' }],
        groups: [{ name: 'default-group', endpoints: [{ name: 'Default', target: 'https://api.gravitee.io/echo' }] }],
      },
      plans: [{ name: 'API_KEY', security: 'API_KEY', status: 'PUBLISHED', api: 'u-3' }],
    });
    expect(definition.plans[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(definition).not.toHaveProperty('contextRef');
  });
});
