import { describe, expect, it } from 'vitest';
import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { FakeCache } from '../../test-support.ts';
import type { ApiDefinition } from '@gko/api';
import {
  GENERATED_HASH_ANNOTATION,
  generatedApi,
  holds,
  ingressOwner,
  upToDate,
  withGeneratedHash,
  type GeneratedApi,
} from './generated-api.ts';

describe('whether a stored object holds what the controller wants', () => {
  it('accepts fields the API server added, such as defaults', () => {
    expect(
      holds(
        { name: 'shop', plans: [{ name: 'Key Less' }] },
        {
          name: 'shop',
          state: 'STARTED',
          plans: [{ name: 'Key Less', type: 'API', flows: [] }],
        },
      ),
    ).toBe(true);
    expect(holds({}, { anything: 1 })).toBe(true);
  });

  it('refuses a changed value', () => {
    expect(holds({ name: 'shop' }, { name: 'blog' })).toBe(false);
    expect(holds({ proxy: { preserve_host: true } }, { proxy: { preserve_host: false } })).toBe(false);
    expect(holds({ status: '404' }, { status: 404 })).toBe(false);
  });

  it('refuses a missing value, however deep', () => {
    expect(holds({ name: 'shop' }, {})).toBe(false);
    expect(holds({ proxy: { groups: [{ name: 'default' }] } }, { proxy: {} })).toBe(false);
    expect(holds({ a: { b: { c: false } } }, { a: { b: {} } })).toBe(false);
  });

  it('wants arrays of the same length, element by element in order', () => {
    expect(holds([1, 2], [1, 2])).toBe(true);
    expect(holds([1, 2], [1, 2, 3])).toBe(false);
    expect(holds([1, 2, 3], [1, 2])).toBe(false);
    expect(holds([1, 2], [2, 1])).toBe(false);
    // A removed flow or endpoint is a difference, even though everything left matches.
    expect(holds({ flows: [] }, { flows: [{ name: 'old' }] })).toBe(false);
    expect(holds([{ name: 'a' }], [{ name: 'a', enabled: true }])).toBe(true);
  });

  it('does not take an object for an array, or the reverse, or null for an object', () => {
    expect(holds([], {})).toBe(false);
    expect(holds({}, [])).toBe(false);
    expect(holds({}, null)).toBe(false);
    expect(holds({}, undefined)).toBe(false);
    expect(holds({ a: 1 }, 'a')).toBe(false);
  });

  it('compares scalars and null by value', () => {
    expect(holds('a', 'a')).toBe(true);
    expect(holds(null, null)).toBe(true);
    expect(holds(null, {})).toBe(false);
    expect(holds(0, false)).toBe(false);
    // A field the controller leaves undefined asks for nothing.
    expect(holds({ host: undefined }, {})).toBe(true);
  });
});

const owner = (kind: string, apiVersion: string, name = 'shop', uid = 'u-shop'): V1OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid,
  controller: true,
});

const api = (name: string, ownerReferences?: V1OwnerReference[], namespace = 'team-a'): KubernetesObject => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'ApiDefinition',
  metadata: { name, namespace, ...(ownerReferences ? { ownerReferences } : {}) },
});

describe('the Ingress owning an object', () => {
  it('is the owner reference of kind Ingress in networking.k8s.io', () => {
    const found = ingressOwner(
      api('shop', [owner('ConfigMap', 'v1', 'x', 'u-x'), owner('Ingress', 'networking.k8s.io/v1')]),
    );
    expect(found).toMatchObject({ name: 'shop', uid: 'u-shop' });
  });

  it('is none for an Ingress kind of another group, or without owner references', () => {
    expect(ingressOwner(api('shop', [owner('Ingress', 'example.com/v1')]))).toBeUndefined();
    expect(ingressOwner(api('shop'))).toBeUndefined();
    expect(ingressOwner({ kind: 'ApiDefinition' })).toBeUndefined();
  });

  it('is found whatever the version of networking.k8s.io', () => {
    expect(ingressOwner(api('shop', [owner('Ingress', 'networking.k8s.io/v1beta1')]))?.name).toBe('shop');
  });
});

describe('the ApiDefinition generated for an Ingress, from the cache', () => {
  const generated = api('shop', [owner('Ingress', 'networking.k8s.io/v1')]);
  const cache = new FakeCache([
    generated,
    api('handmade'),
    api('other-owner', [owner('Ingress', 'networking.k8s.io/v1', 'someone-else', 'u-else')]),
    api('shop', [owner('Ingress', 'networking.k8s.io/v1')], 'team-b'),
  ]);

  it('is the ApiDefinition of the same name owned by the Ingress of that name', () => {
    expect(generatedApi(cache, 'team-a', 'shop')).toBe(generated);
  });

  it('is the one of the Ingress with that uid, when the uid is given', () => {
    expect(generatedApi(cache, 'team-a', 'shop', 'u-shop')).toBe(generated);
    // Owned by an earlier Ingress of the same name: not this Ingress's.
    expect(generatedApi(cache, 'team-a', 'shop', 'u-recreated')).toBeUndefined();
  });

  it('is none for an ApiDefinition written by hand or owned by another Ingress', () => {
    expect(generatedApi(cache, 'team-a', 'handmade')).toBeUndefined();
    expect(generatedApi(cache, 'team-a', 'other-owner')).toBeUndefined();
  });

  it('is none when there is no ApiDefinition of that name in the namespace', () => {
    expect(generatedApi(cache, 'team-a', 'missing')).toBeUndefined();
    expect(generatedApi(cache, 'team-c', 'shop')).toBeUndefined();
  });
});

describe('whether the stored API is what the controller would write now', () => {
  const generated = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) =>
    ({
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'ApiDefinition',
      metadata: {
        name: 'shop',
        namespace: 'team-a',
        annotations: { 'gravitee.io/extends': 'gravitee.io/ingress', ...annotations },
        ownerReferences: [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop', uid: 'u-1' }],
      },
      spec,
    }) as unknown as ApiDefinition;
  const stored = (api: ApiDefinition, extra: Record<string, unknown> = {}) =>
    ({ ...api, spec: { ...api.spec, ...extra } }) as GeneratedApi;

  const withTemplate = withGeneratedHash(generated({ name: 'shop', resources: [{ name: 'cache' }] }));

  it('is so when it holds what was written, defaults added by the API server included', () => {
    expect(upToDate(withTemplate, stored(withTemplate, { visibility: 'PRIVATE' }))).toBe(true);
  });

  it('is not when a field the template had is gone from what is generated now', () => {
    // The stored object still holds everything now desired: only the hash tells the removal.
    const without = withGeneratedHash(generated({ name: 'shop' }));
    expect(holds(without.spec, withTemplate.spec)).toBe(true);
    expect(upToDate(without, stored(withTemplate))).toBe(false);
  });

  it('is so when someone else added an owner reference of their own, and not when ours is gone', () => {
    const refs = withTemplate.metadata.ownerReferences ?? [];
    const other = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: 'u-2' };
    const shared = { ...withTemplate, metadata: { ...withTemplate.metadata, ownerReferences: [other, ...refs] } };
    expect(upToDate(withTemplate, shared as GeneratedApi)).toBe(true);
    const orphan = { ...withTemplate, metadata: { ...withTemplate.metadata, ownerReferences: [other] } };
    expect(upToDate(withTemplate, orphan as GeneratedApi)).toBe(false);
  });

  it('is not when someone edited a generated value', () => {
    expect(upToDate(withTemplate, stored(withTemplate, { name: 'edited' }))).toBe(false);
  });

  it('is not when an annotation the controller sets was dropped', () => {
    const named = withGeneratedHash(generated({ name: 'shop' }, { 'ingress.gravitee.io/template': 'tpl' }));
    const bare = { ...named, metadata: { ...named.metadata, annotations: { [GENERATED_HASH_ANNOTATION]: 'x' } } };
    expect(upToDate(named, bare as GeneratedApi)).toBe(false);
  });
});
