import { describe, expect, it } from 'vitest';
import { isLocalModeConfigMap, LOCAL_MODE_LABELS, localConfigMap } from './configmap.ts';

const api = {
  kind: 'ApiV4Definition',
  metadata: { name: 'orders', namespace: 'team-a', uid: '6f1c2d3e-0000-4000-8000-000000000001' },
};

describe('a local-mode ConfigMap', () => {
  it('is named like its API, next to it, labelled for gateways and owned by the API', () => {
    const configMap = localConfigMap(api, { definition: { id: 'a' } }, { id: 'a' });
    expect(configMap.apiVersion).toBe('v1');
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata).toEqual({
      name: 'orders',
      namespace: 'team-a',
      labels: { 'managed-by': 'gravitee.io', 'gio-type': 'apidefinitions.gravitee.io' },
      ownerReferences: [
        {
          apiVersion: 'gravitee.io/v1alpha1',
          kind: 'ApiV4Definition',
          name: 'orders',
          uid: '6f1c2d3e-0000-4000-8000-000000000001',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    });
  });

  it('falls back to the DEFAULT organization and environment, as without a context', () => {
    expect(localConfigMap(api, { definition: {} }, { id: 'a' }).data).toEqual({
      definition: '{}',
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
    });
    const withContext = localConfigMap(
      api,
      { definition: {}, apiDefinitionVersion: '4.0.0' },
      { id: 'a', organizationId: 'org-1', environmentId: 'env-1' },
    );
    expect(withContext.data).toEqual({
      definition: '{}',
      organizationId: 'org-1',
      environmentId: 'env-1',
      apiDefinitionVersion: '4.0.0',
    });
  });

  it('writes the same text for the same definition, whatever the order of its fields', () => {
    const one = localConfigMap(api, { definition: { b: 1, a: { d: [2, { y: 1, x: 0 }], c: 3 } } }, { id: 'a' });
    const two = localConfigMap(api, { definition: { a: { c: 3, d: [2, { x: 0, y: 1 }] }, b: 1 } }, { id: 'a' });
    expect(one.data['definition']).toBe('{"a":{"c":3,"d":[2,{"x":0,"y":1}]},"b":1}');
    expect(two.data['definition']).toBe(one.data['definition']);
  });

  it('cannot be written for an object that was not read from the cluster', () => {
    expect(() =>
      localConfigMap({ ...api, metadata: { name: 'orders', namespace: 'team-a' } }, { definition: {} }, { id: 'a' }),
    ).toThrow('a local-mode ConfigMap needs the name, namespace and uid of its ApiV4Definition');
  });
});

describe('telling whether a ConfigMap is a local-mode one', () => {
  const ours = localConfigMap(api, { definition: {} }, { id: 'a' });

  it('needs both labels', () => {
    expect(isLocalModeConfigMap(ours)).toBe(true);
    expect(isLocalModeConfigMap({ metadata: { labels: { 'managed-by': 'gravitee.io' } } })).toBe(false);
    expect(isLocalModeConfigMap({ metadata: { labels: { ...LOCAL_MODE_LABELS, 'gio-type': 'other' } } })).toBe(false);
    expect(isLocalModeConfigMap({})).toBe(false);
  });

  it('given the API, also needs to be owned by it', () => {
    expect(isLocalModeConfigMap(ours, api)).toBe(true);
    const another = { ...api, metadata: { ...api.metadata, uid: '6f1c2d3e-0000-4000-8000-000000000002' } };
    expect(isLocalModeConfigMap(ours, another)).toBe(false);
    // Labelled, but written by hand: not ours to overwrite.
    expect(isLocalModeConfigMap({ metadata: { labels: { ...LOCAL_MODE_LABELS } } }, api)).toBe(false);
  });
});
