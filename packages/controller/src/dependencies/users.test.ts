import { describe, expect, it } from 'vitest';
import { KINDS } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../test-support.ts';
import { DEPENDS_ON, directUsers, idOf, installDependencyIndexes, usersOf } from './users.ts';

const object = (kind: string, namespace: string, name: string, spec: object, metadata: object = {}) =>
  ({ apiVersion: 'gravitee.io/v1alpha1', kind, metadata: { namespace, name, ...metadata }, spec }) as KubernetesObject;

const context = object('ManagementContext', 'ns', 'apim', {
  baseUrl: 'http://apim',
  auth: { secretRef: { name: 'creds' } },
});

describe('the dependsOn index', () => {
  it('is installed on every kind of ours', () => {
    const cache = new FakeCache([]);
    installDependencyIndexes(cache);
    expect([...cache.indexes.keys()].sort()).toEqual(KINDS.map(({ kind }) => `${kind}/${DEPENDS_ON}`).sort());
  });

  it('holds the key of everything an object refers to, namespaces resolved', () => {
    const cache = new FakeCache([]);
    installDependencyIndexes(cache);
    const api = object('ApiV4Definition', 'ns', 'orders', {
      contextRef: { name: 'apim', namespace: 'platform' },
      groupRefs: [{ name: 'devs' }],
      notificationsRefs: [{ name: 'alerts' }],
      resources: [{ ref: { name: 'cache' } }],
      description: '[[ secret `creds/desc` ]]',
    });
    expect(cache.indexes.get(`ApiV4Definition/${DEPENDS_ON}`)!(api).sort()).toEqual([
      'ApiResource/ns/cache',
      'Group/ns/devs',
      'ManagementContext/platform/apim',
      'Notification/ns/alerts',
      'Secret/ns/creds',
    ]);
  });
});

describe('the users of an object', () => {
  const users = [
    object('ApiV4Definition', 'ns', 'orders', { contextRef: { name: 'apim' } }),
    object('ApiDefinition', 'ns', 'billing', { contextRef: { name: 'apim' } }),
    object('ApiV4Definition', 'other', 'cross', { contextRef: { name: 'apim', namespace: 'ns' } }),
    object('Application', 'ns', 'app', { contextRef: { name: 'apim' } }),
    // Refers to a context of the same name in another namespace: not a user.
    object('ApiV4Definition', 'other', 'elsewhere', { contextRef: { name: 'apim' } }),
  ];

  function cacheWith(objects: KubernetesObject[]) {
    const cache = new FakeCache([context, ...objects]);
    installDependencyIndexes(cache);
    return cache;
  }

  it('are found through the index, across kinds and namespaces', () => {
    const found = directUsers(cacheWith(users), idOf(context)).map(
      (u) => `${u.kind} ${u.metadata?.namespace}/${u.metadata?.name}`,
    );
    expect(found.sort()).toEqual([
      'ApiDefinition ns/billing',
      'ApiV4Definition ns/orders',
      'ApiV4Definition other/cross',
      'Application ns/app',
    ]);
  });

  it('are listed as "Kind namespace/name", sorted', () => {
    expect(usersOf(cacheWith(users), context)).toEqual([
      'ApiDefinition ns/billing',
      'ApiV4Definition ns/orders',
      'ApiV4Definition other/cross',
      'Application ns/app',
    ]);
  });

  it('leave out users being deleted that hold no finalizer, and keep those that still do', () => {
    const deleting = { deletionTimestamp: new Date('2024-01-01T00:00:00Z') };
    const cache = cacheWith([
      object('ApiV4Definition', 'ns', 'gone', { contextRef: { name: 'apim' } }, deleting),
      object('ApiV4Definition', 'ns', 'going', { contextRef: { name: 'apim' } }, { ...deleting, finalizers: ['f'] }),
      object('ApiV4Definition', 'ns', 'staying', { contextRef: { name: 'apim' } }, { finalizers: [] }),
    ]);
    expect(usersOf(cache, context)).toEqual(['ApiV4Definition ns/going', 'ApiV4Definition ns/staying']);
  });

  it('are none for an object nothing refers to', () => {
    expect(usersOf(cacheWith(users), object('Group', 'ns', 'lonely', {}))).toEqual([]);
  });

  it('include the objects whose templates read a Secret', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'ns', name: 'creds' } };
    const cache = cacheWith([object('Dictionary', 'ns', 'dict', { properties: { k: '[[ secret `creds/k` ]]' } })]);
    expect(usersOf(cache, secret)).toEqual(['Dictionary ns/dict', 'ManagementContext ns/apim']);
  });
});

describe('the id of an object', () => {
  it('is its kind, namespace and name, empty when missing', () => {
    expect(idOf(context)).toEqual({ kind: 'ManagementContext', namespace: 'ns', name: 'apim' });
    expect(idOf({})).toEqual({ kind: '', namespace: '', name: '' });
  });
});

describe('the dependencies of an application', () => {
  it('include the Secrets and ConfigMaps its client certificates are read from', () => {
    const cache = new FakeCache([]);
    installDependencyIndexes(cache);
    const app = object('Application', 'ns', 'shop', {
      contextRef: { name: 'apim' },
      settings: {
        tls: {
          clientCertificates: [
            { ref: { name: 'cert-a' } },
            { ref: { kind: 'configmaps', name: 'cert-b', namespace: 'pki' } },
            { content: 'PEM' },
          ],
        },
      },
    });
    expect(cache.indexes.get(`Application/${DEPENDS_ON}`)!(app).sort()).toEqual([
      'ConfigMap/pki/cert-b',
      'ManagementContext/ns/apim',
      'Secret/ns/cert-a',
    ]);
  });
});
