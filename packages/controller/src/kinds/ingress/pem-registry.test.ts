import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '@kubernetes/client-node';
import { upstreamReferenceDir } from '@gko/api/corpus';
import type { Ingress } from './ingress.ts';
import {
  CERTIFICATES_ANNOTATION,
  desiredRegistry,
  isPemRegistry,
  REGISTERED_KEYS_ANNOTATION,
  registeredKeysAnnotation,
  registryKey,
  registryServes,
  type RegisteredIngress,
  type RegistryConfigMap,
} from './pem-registry.ts';

const registry = (
  options: { ingressClass?: string; data?: Record<string, string>; ours?: string[] } = {},
): RegistryConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: 'pem-registry',
    namespace: 'gravitee',
    labels: {
      'gravitee.io/component': 'kubernetes-pem-registry',
      ...(options.ingressClass ? { 'kubernetes.io/ingress.class': options.ingressClass } : {}),
    },
    ...(options.ours ? { annotations: { [REGISTERED_KEYS_ANNOTATION]: JSON.stringify(options.ours) } } : {}),
  },
  ...(options.data ? { data: options.data } : {}),
});

const ingress = (namespace: string, name: string, ingressClass = 'graviteeio'): Ingress => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace },
  spec: { ingressClassName: ingressClass, rules: [] },
});

const registered = (
  namespace: string,
  name: string,
  secrets: string[],
  options: { version?: string; ingressClass?: string } = {},
): RegisteredIngress => ({
  ingress: ingress(namespace, name, options.ingressClass),
  secrets: secrets.map((id) => ({ id, version: options.version ?? '1' })),
});

describe('a PEM registry', () => {
  it('is a ConfigMap labelled gravitee.io/component=kubernetes-pem-registry', () => {
    expect(isPemRegistry(registry())).toBe(true);
    expect(isPemRegistry({ ...registry(), metadata: { name: 'plain', labels: {} } })).toBe(false);
    expect(
      isPemRegistry({ ...registry(), metadata: { name: 'other', labels: { 'gravitee.io/component': 'x' } } }),
    ).toBe(false);
    // The label on another kind is not a registry.
    expect(isPemRegistry({ ...registry(), kind: 'Secret' })).toBe(false);
  });

  it('serves the class in its label only, or any class without the label', () => {
    const labelled = registry({ ingressClass: 'graviteeio' });
    expect(registryServes(labelled, 'graviteeio')).toBe(true);
    expect(registryServes(labelled, 'other')).toBe(false);
    expect(registryServes(labelled, undefined)).toBe(false);
    const unlabelled = registry();
    expect(registryServes(unlabelled, 'graviteeio')).toBe(true);
    expect(registryServes(unlabelled, 'other')).toBe(true);
  });

  it('keys an Ingress as "<namespace>-<name>"', () => {
    expect(registryKey(ingress('team-a', 'shop'))).toBe('team-a-shop');
  });
});

describe('the desired content of a PEM registry', () => {
  it('has one key per Ingress listing its Secrets as "namespace/name", in JSON', () => {
    const desired = desiredRegistry(registry({ ingressClass: 'graviteeio' }), [
      registered('team-a', 'shop', ['team-a/shop-tls', 'team-a/admin-tls']),
      registered('team-b', 'blog', ['team-b/blog-tls']),
    ]);
    expect(desired.data).toEqual({
      // Sorted: the order the cache gives them in does not make a new registry.
      'team-a-shop': '["team-a/admin-tls","team-a/shop-tls"]',
      'team-b-blog': '["team-b/blog-tls"]',
    });
    expect(JSON.parse(desired.annotations[REGISTERED_KEYS_ANNOTATION]!)).toEqual(['team-a-shop', 'team-b-blog']);
  });

  it('has no key for an Ingress without a valid Secret', () => {
    const desired = desiredRegistry(registry(), [registered('team-a', 'shop', [])]);
    expect(desired.data).toEqual({});
    expect(desired.annotations[REGISTERED_KEYS_ANNOTATION]).toBe('[]');
  });

  it('keeps the keys written by others, even when the registry is full of ours', () => {
    const desired = desiredRegistry(
      registry({
        data: { 'legacy-app': '["legacy/app-tls"]', 'team-a-shop': '["team-a/old-tls"]' },
        ours: ['team-a-shop'],
      }),
      [registered('team-a', 'shop', ['team-a/shop-tls'])],
    );
    expect(desired.data).toEqual({ 'legacy-app': '["legacy/app-tls"]', 'team-a-shop': '["team-a/shop-tls"]' });
    // Only our key is listed as ours: the other one will never be removed by us.
    expect(desired.annotations[REGISTERED_KEYS_ANNOTATION]).toBe('["team-a-shop"]');
  });

  it('removes the keys we wrote earlier that are no longer desired', () => {
    const desired = desiredRegistry(
      registry({
        data: { 'team-a-shop': '["team-a/shop-tls"]', 'team-b-gone': '["team-b/gone-tls"]', 'legacy-app': '[]' },
        ours: ['team-a-shop', 'team-b-gone'],
      }),
      [registered('team-a', 'shop', ['team-a/shop-tls'])],
    );
    expect(desired.data).toEqual({ 'team-a-shop': '["team-a/shop-tls"]', 'legacy-app': '[]' });
    expect(desired.annotations[REGISTERED_KEYS_ANNOTATION]).toBe('["team-a-shop"]');
  });

  it("takes over upstream's keys in a registry it never wrote to, and only keys of that form", () => {
    // No annotation of ours: upstream's operator wrote "<ns>-<name>" listing Secrets of <ns>.
    const adopted = desiredRegistry(
      registry({
        data: {
          'team-b-gone': '["team-b/gone-tls"]',
          'team-a-shop': '["team-a/old-tls"]',
          'hand-written': '{"not": "a list"}',
          'team-c-other': '["team-d/tls"]',
        },
      }),
      [registered('team-a', 'shop', ['team-a/shop-tls'])],
    );
    expect(adopted.data).toEqual({
      'team-a-shop': '["team-a/shop-tls"]',
      'hand-written': '{"not": "a list"}',
      'team-c-other': '["team-d/tls"]',
    });
    expect(adopted.annotations[REGISTERED_KEYS_ANNOTATION]).toBe('["team-a-shop"]');
  });

  it("takes over neither another installation's keys nor the key of a live Ingress of another class", () => {
    const shared = registry({
      data: {
        'team-a-shop': '["team-a/shop-tls"]',
        'team-b-public': '["team-b/public-tls"]',
        'team-c-nginx': '["team-c/nginx-tls"]',
        'team-d-gone': '["team-d/gone-tls"]',
      },
    });
    shared.metadata!.annotations = { [registeredKeysAnnotation(['public'])]: '["team-b-public"]' };
    const desired = desiredRegistry(shared, [], {
      keysAnnotation: REGISTERED_KEYS_ANNOTATION,
      foreignKeys: new Set(['team-c-nginx']),
    });
    expect(Object.keys(desired.data).sort()).toEqual(['team-b-public', 'team-c-nginx']);
  });

  it('is written by each installation under a list of its own, named after its classes', () => {
    expect(registeredKeysAnnotation(['graviteeio'])).toBe(REGISTERED_KEYS_ANNOTATION);
    const other = registeredKeysAnnotation(['public', 'internal']);
    expect(other).toMatch(/^ingress\.gravitee\.io\/registered-keys-[0-9a-f]{8}$/);
    expect(registeredKeysAnnotation(['internal', 'public'])).toBe(other);
    const desired = desiredRegistry(
      registry({ data: { 'team-a-shop': '["team-a/shop-tls"]' }, ours: ['team-a-shop'] }),
      [],
      {
        keysAnnotation: other,
        foreignKeys: new Set(),
      },
    );
    // The default installation's key is not this one's to remove.
    expect(desired.data).toEqual({ 'team-a-shop': '["team-a/shop-tls"]' });
    expect(desired.annotations[other]).toBe('[]');
  });

  it('removes nothing of others when the list of our keys is unreadable', () => {
    const broken = registry({ data: { 'team-a-shop': '["team-a/shop-tls"]' } });
    broken.metadata!.annotations = { [REGISTERED_KEYS_ANNOTATION]: 'not json' };
    expect(desiredRegistry(broken, []).data).toEqual({ 'team-a-shop': '["team-a/shop-tls"]' });
  });

  it('lists the Ingresses of its class only when it is labelled with one', () => {
    const ingresses = [
      registered('team-a', 'shop', ['team-a/shop-tls'], { ingressClass: 'graviteeio' }),
      registered('team-b', 'blog', ['team-b/blog-tls'], { ingressClass: 'internal' }),
    ];
    expect(Object.keys(desiredRegistry(registry({ ingressClass: 'internal' }), ingresses).data)).toEqual([
      'team-b-blog',
    ]);
    // A registry without class label serves every Ingress handled.
    expect(Object.keys(desiredRegistry(registry(), ingresses).data)).toEqual(['team-a-shop', 'team-b-blog']);
  });

  it('drops our key of an Ingress that moved to a class the registry does not serve', () => {
    const desired = desiredRegistry(
      registry({ ingressClass: 'graviteeio', data: { 'team-a-shop': '["team-a/shop-tls"]' }, ours: ['team-a-shop'] }),
      [registered('team-a', 'shop', ['team-a/shop-tls'], { ingressClass: 'internal' })],
    );
    expect(desired.data).toEqual({});
  });

  it('registers the Secrets of two Ingresses whose keys would collide', () => {
    // team-a/shop and team/a-shop both make the key "team-a-shop": neither may lose its certificates.
    const desired = desiredRegistry(registry(), [
      registered('team-a', 'shop', ['team-a/shop-tls']),
      registered('team', 'a-shop', ['team/a-shop-tls']),
    ]);
    const listed = Object.values(desired.data).flatMap((v) => JSON.parse(v) as string[]);
    expect(listed).toEqual(expect.arrayContaining(['team-a/shop-tls', 'team/a-shop-tls']));
  });

  it('changes its certificates annotation when a Secret version changes, and not otherwise', () => {
    const target = registry();
    const at = (version: string) =>
      desiredRegistry(target, [
        registered('team-a', 'shop', ['team-a/shop-tls'], { version }),
        registered('team-b', 'blog', ['team-b/blog-tls']),
      ]).annotations[CERTIFICATES_ANNOTATION];
    const first = at('1');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(at('1')).toBe(first);
    expect(at('2')).not.toBe(first);
    // The data is the same at both versions: only the annotation tells the gateways to reload.
    expect(desiredRegistry(target, [registered('team-a', 'shop', ['team-a/shop-tls'], { version: '2' })]).data).toEqual(
      desiredRegistry(target, [registered('team-a', 'shop', ['team-a/shop-tls'], { version: '1' })]).data,
    );
  });

  it('is the same whatever the order the Ingresses come in', () => {
    const a = registered('team-a', 'shop', ['team-a/shop-tls']);
    const b = registered('team-b', 'blog', ['team-b/blog-tls'], { version: '9' });
    const forward = desiredRegistry(registry(), [a, b]);
    const backward = desiredRegistry(registry(), [b, a]);
    expect(backward.annotations).toEqual(forward.annotations);
    expect(backward.data).toEqual(forward.data);
  });

  it('ignores the version of a Secret the registry does not list', () => {
    const target = registry({ ingressClass: 'graviteeio' });
    const shop = registered('team-a', 'shop', ['team-a/shop-tls']);
    const at = (version: string) =>
      desiredRegistry(target, [
        shop,
        registered('team-b', 'blog', ['team-b/blog-tls'], { version, ingressClass: 'internal' }),
      ]).annotations[CERTIFICATES_ANNOTATION];
    expect(at('2')).toBe(at('1'));
  });
});

const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream reference data (../shared/reference/gko) not found: upstream PEM registry skipped');

describe.skipIf(!dir)('the upstream PEM registry example', () => {
  const example = (): RegistryConfigMap => {
    const text = readFileSync(join(dir!, 'examples', 'ingress', 'ingress-pem-registry.yml'), 'utf8');
    // The JSON round trip leaves out the fields the client's deserializer sets to undefined.
    const object = JSON.parse(JSON.stringify(loadYaml(text))) as RegistryConfigMap;
    return { ...object, metadata: { ...object.metadata, namespace: 'default' } };
  };

  it('is a registry of class graviteeio that lists the TLS Ingress example', () => {
    const pemRegistry = example();
    expect(isPemRegistry(pemRegistry)).toBe(true);
    expect(registryServes(pemRegistry, 'graviteeio')).toBe(true);
    expect(registryServes(pemRegistry, 'nginx')).toBe(false);
    // ingress-with-tls.yml names its class by the legacy annotation.
    const withTls: Ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'ingress-with-tls',
        namespace: 'default',
        annotations: { 'kubernetes.io/ingress.class': 'graviteeio' },
      },
    };
    const desired = desiredRegistry(pemRegistry, [
      { ingress: withTls, secrets: [{ id: 'default/httpbin.example.com', version: '1' }] },
    ]);
    expect(desired.data).toEqual({ 'default-ingress-with-tls': '["default/httpbin.example.com"]' });
  });
});
