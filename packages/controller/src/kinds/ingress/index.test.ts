import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../../test-support.ts';
import { ingressExtension } from './index.ts';

const NS = 'team-a';

const ingress = (name: string, options: { class?: string; template?: string; tls?: string[]; rv?: string } = {}) =>
  ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: NS,
      resourceVersion: options.rv ?? '1',
      annotations: {
        'kubernetes.io/ingress.class': options.class ?? 'graviteeio',
        ...(options.template ? { 'gravitee.io/template': options.template } : {}),
      },
    },
    spec: {
      rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix' }] } }],
      ...(options.tls ? { tls: options.tls.map((secretName) => ({ secretName })) } : {}),
    },
  }) as KubernetesObject;

const registry = (name: string, ingressClass?: string) =>
  ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: NS,
      labels: {
        'gravitee.io/component': 'kubernetes-pem-registry',
        ...(ingressClass ? { 'kubernetes.io/ingress.class': ingressClass } : {}),
      },
    },
  }) as KubernetesObject;

const template = (name: string, marked = true) =>
  ({
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiDefinition',
    metadata: { name, namespace: NS, ...(marked ? { annotations: { 'gravitee.io/template': 'true' } } : {}) },
    spec: {},
  }) as KubernetesObject;

const secret = (name: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: NS } });

function setUp(objects: KubernetesObject[]) {
  const extension = ingressExtension({ classes: ['graviteeio'] });
  const cache = new FakeCache(objects);
  for (const index of extension.indexes ?? []) cache.addIndex(index.kind, index.name, index.values);
  const route = (object: KubernetesObject, event: 'add' | 'update' | 'delete' | 'resync') =>
    (extension.route?.(object, event, cache) ?? []).map((t) => `${t.kind} ${t.key}`).sort();
  return { route };
}

describe('routing the events of the Ingress controller', () => {
  it('brings the registries back when a handled Ingress comes, and not for a write that changes nothing they read', () => {
    const shop = ingress('shop', { tls: ['shop-tls'] });
    const { route } = setUp([shop, registry('pem')]);
    expect(route(shop, 'add')).toEqual([`PemRegistry ${NS}/pem`]);
    // A status write: same class, same Secrets.
    expect(route(ingress('shop', { tls: ['shop-tls'], rv: '2' }), 'update')).toEqual([]);
    expect(route(ingress('shop', { tls: ['other-tls'], rv: '3' }), 'update')).toEqual([`PemRegistry ${NS}/pem`]);
    // Deleted: the registries, and the Ingress's own reconciler, which forgets it.
    expect(route(ingress('shop', { tls: ['other-tls'], rv: '3' }), 'delete')).toEqual([
      `Ingress ${NS}/shop`,
      `PemRegistry ${NS}/pem`,
    ]);
  });

  it('routes nothing for an Ingress of another class, whatever it names', () => {
    const nginx = ingress('nginx', { class: 'nginx', template: 'tpl', tls: ['shop-tls'] });
    const { route } = setUp([nginx, registry('pem'), template('tpl')]);
    expect(route(nginx, 'add')).toEqual([]);
    expect(route(nginx, 'update')).toEqual([]);
    expect(route(secret('shop-tls') as KubernetesObject, 'update')).toEqual([]);
  });

  it('tells a template when an Ingress starts or stops naming it, or goes', () => {
    const { route } = setUp([template('one'), template('two')]);
    expect(route(ingress('shop', { template: 'one' }), 'add')).toContain(`ApiDefinition ${NS}/one`);
    expect(route(ingress('shop', { template: 'two' }), 'update')).toEqual(
      expect.arrayContaining([`ApiDefinition ${NS}/one`, `ApiDefinition ${NS}/two`]),
    );
    expect(route(ingress('shop', { template: 'two', class: 'nginx' }), 'update')).toContain(`ApiDefinition ${NS}/two`);
  });

  it('re-synchronises the Ingresses of a template that changes, or stops being one', () => {
    const shop = ingress('shop', { template: 'tpl' });
    const { route } = setUp([shop, template('tpl')]);
    expect(route(template('tpl'), 'add')).toEqual([`Ingress ${NS}/shop`]);
    // A status write on the template (same generation) is nothing its Ingresses read.
    expect(route(template('tpl'), 'update')).toEqual([]);
    expect(route(template('tpl', false), 'update')).toEqual([`Ingress ${NS}/shop`]);
  });

  it('re-synchronises the Ingresses of a TLS Secret, and the registries', () => {
    const shop = ingress('shop', { tls: ['shop-tls'] });
    const { route } = setUp([shop, registry('pem')]);
    expect(route(secret('shop-tls') as KubernetesObject, 'update')).toEqual([
      `Ingress ${NS}/shop`,
      `PemRegistry ${NS}/pem`,
    ]);
    expect(route(secret('unused') as KubernetesObject, 'update')).toEqual([]);
  });

  it('tells the Ingresses with TLS when a registry comes, goes or changes class, not when its content changes', () => {
    const shop = ingress('shop', { tls: ['shop-tls'] });
    const plain = ingress('plain');
    const { route } = setUp([shop, plain, registry('pem')]);
    expect(route(registry('pem'), 'add')).toEqual([`Ingress ${NS}/shop`, `PemRegistry ${NS}/pem`]);
    expect(route(registry('pem'), 'update')).toEqual([`PemRegistry ${NS}/pem`]);
    expect(route(registry('pem', 'other'), 'update')).toEqual([`Ingress ${NS}/shop`, `PemRegistry ${NS}/pem`]);
    expect(route(registry('pem', 'other'), 'delete')).toEqual([`Ingress ${NS}/shop`]);
  });

  it('puts back a generated API changed by someone else, through its owner', () => {
    const generated = {
      ...template('shop', false),
      metadata: {
        name: 'shop',
        namespace: NS,
        ownerReferences: [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'shop', uid: 'u' }],
      },
    } as KubernetesObject;
    const { route } = setUp([]);
    expect(route(generated, 'update')).toEqual([`Ingress ${NS}/shop`]);
    expect(route(generated, 'delete')).toEqual([`Ingress ${NS}/shop`]);
  });

  it('routes nothing on a replay of the cache', () => {
    const shop = ingress('shop', { tls: ['shop-tls'], template: 'tpl' });
    const { route } = setUp([shop, registry('pem'), template('tpl')]);
    for (const object of [shop, registry('pem'), template('tpl')]) expect(route(object, 'resync')).toEqual([]);
  });
});
