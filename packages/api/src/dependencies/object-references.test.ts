import { describe, expect, it } from 'vitest';
import { dependsOnValues, objectDependencies } from './object-references.ts';

describe('what an object refers to', () => {
  it('reads references of every kind, resolving namespaces, templates included', () => {
    const subscription = {
      kind: 'Subscription',
      metadata: { namespace: 'team-a' },
      spec: { api: { name: 'orders', kind: 'ApiDefinition' }, application: { name: 'shop', namespace: 'shops' } },
    };
    expect(dependsOnValues(subscription)).toEqual(['ApiDefinition/team-a/orders', 'Application/shops/shop']);
    const app = {
      kind: 'Application',
      metadata: { namespace: 'team-a' },
      spec: {
        contextRef: { name: 'apim' },
        description: '[[ configmap `texts/description` ]]',
        settings: { tls: { clientCertificates: [{ ref: { name: 'cert', kind: 'configmaps' } }] } },
      },
    };
    expect(dependsOnValues(app)).toEqual([
      'ManagementContext/team-a/apim',
      'ConfigMap/team-a/cert',
      'ConfigMap/team-a/texts',
    ]);
  });

  it('tolerates what the schema has not checked yet: null items, lists that are not lists, no spec', () => {
    const odd = [
      {
        kind: 'Application',
        metadata: { namespace: 'a' },
        spec: { settings: { tls: { clientCertificates: [null] } } },
      },
      { kind: 'Application', metadata: { namespace: 'a' }, spec: { settings: { tls: { clientCertificates: 'x' } } } },
      {
        kind: 'ApiV4Definition',
        metadata: { namespace: 'a' },
        spec: { flows: [null, { request: [null] }], resources: 'x' },
      },
      { kind: 'ApiV4Definition', metadata: { namespace: 'a' }, spec: { plans: { free: null } } },
      { kind: 'ManagementContext', metadata: { namespace: 'a' } },
      { kind: 'ManagementContext', metadata: { namespace: 'a' }, spec: 'not an object' },
    ];
    for (const object of odd) expect(() => objectDependencies(object)).not.toThrow();
  });
});
