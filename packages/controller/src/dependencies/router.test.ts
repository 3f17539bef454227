import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../test-support.ts';
import { DependencyRouter } from './router.ts';
import { installDependencyIndexes, type ObjectId } from './users.ts';

const NS = 'team-a';

function object(kind: string, name: string, spec: object, generation = 1, status?: object): KubernetesObject {
  return {
    apiVersion: 'gravitee.io/v1alpha1',
    kind,
    metadata: { namespace: NS, name, generation },
    spec,
    ...(status ? { status } : {}),
  } as KubernetesObject;
}

const secret = (name: string, data: Record<string, string> = {}) =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { namespace: NS, name }, data }) as KubernetesObject;

const context = (name: string, secretName: string) =>
  object('ManagementContext', name, { baseUrl: 'http://apim', auth: { secretRef: { name: secretName } } });

// Two contexts, each with its own Secret and APIs; a Group reached through a Notification; an
// ApiResource and a SharedPolicyGroup used by one API; a Subscription of that API.
const objects = [
  secret('creds-a'),
  secret('creds-b'),
  context('apim-a', 'creds-a'),
  context('apim-b', 'creds-b'),
  object('ApiV4Definition', 'orders', {
    contextRef: { name: 'apim-a' },
    resources: [{ ref: { name: 'cache' } }],
    flows: [{ request: [{ sharedPolicyGroupRef: { name: 'headers' } }] }],
  }),
  object('ApiDefinition', 'billing', { contextRef: { name: 'apim-a' }, notificationsRefs: [{ name: 'alerts' }] }),
  object('ApiV4Definition', 'stock', { contextRef: { name: 'apim-b' } }),
  object('Subscription', 'orders-app', { api: { name: 'orders' }, application: { name: 'app' } }),
  object('Notification', 'alerts', { console: { groupRefs: [{ name: 'devs' }] } }),
  object('Group', 'devs', { name: 'Developers' }),
  object('ApiResource', 'cache', { type: 'cache', name: 'cache' }),
  object('SharedPolicyGroup', 'headers', { name: 'headers', phase: 'REQUEST' }, 1, { crossId: 'c-1', id: 'i-1' }),
];

function setUp() {
  const cache = new FakeCache(objects);
  installDependencyIndexes(cache);
  const enqueued: string[] = [];
  const router = new DependencyRouter(cache, (user: ObjectId) =>
    enqueued.push(`${user.kind} ${user.namespace}/${user.name}`),
  );
  /** What one event enqueues, sorted. */
  const route = (changed: KubernetesObject, event: 'add' | 'update' | 'delete' | 'resync') => {
    enqueued.length = 0;
    router.onChange(changed, event);
    return [...enqueued].sort();
  };
  return { route, enqueued };
}

const byName = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata?.name === name)!;

const withGeneration = (o: KubernetesObject, generation: number, status?: object): KubernetesObject => ({
  ...o,
  metadata: { ...o.metadata, generation },
  ...(status ? { status } : {}),
});

describe('routing a change to the objects that depend on it', () => {
  it('enqueues the APIs of a changed context, and what depends on them, not the APIs of other contexts', () => {
    const { route } = setUp();
    expect(route(byName('ManagementContext', 'apim-a'), 'add')).toEqual([
      'ApiDefinition team-a/billing',
      'ApiV4Definition team-a/orders',
      'Subscription team-a/orders-app',
    ]);
    expect(route(withGeneration(byName('ManagementContext', 'apim-a'), 2), 'update')).toHaveLength(3);
  });

  it('does not route a status-only update (same generation), but routes a generation change', () => {
    const { route } = setUp();
    const resource = byName('ApiResource', 'cache');
    expect(route(resource, 'add')).toEqual(['ApiV4Definition team-a/orders', 'Subscription team-a/orders-app']);
    expect(route(withGeneration(resource, 1, { conditions: [{ type: 'Ready' }] }), 'update')).toEqual([]);
    expect(route(withGeneration(resource, 2), 'update')).toEqual([
      'ApiV4Definition team-a/orders',
      'Subscription team-a/orders-app',
    ]);
    expect(route(withGeneration(resource, 2, { conditions: [] }), 'update')).toEqual([]);
  });

  it('routes the first update of an object it has not seen yet', () => {
    const { route } = setUp();
    expect(route(byName('ApiResource', 'cache'), 'update')).toEqual([
      'ApiV4Definition team-a/orders',
      'Subscription team-a/orders-app',
    ]);
  });

  it('enqueues, for a changed Secret, the contexts using it and, through them, their APIs', () => {
    const { route } = setUp();
    expect(route(byName('Secret', 'creds-b'), 'update')).toEqual([
      'ApiV4Definition team-a/stock',
      'ManagementContext team-a/apim-b',
    ]);
    // A Secret has no generation: every update of it is a change of its data.
    expect(route(secret('creds-b', { token: 'bmV3' }), 'update')).toHaveLength(2);
    expect(route(secret('creds-b', { token: 'bmV3' }), 'update')).toHaveLength(2);
  });

  it('does not mix up a Secret with one of the same name in another namespace', () => {
    const { route } = setUp();
    const elsewhere = { ...secret('creds-a'), metadata: { namespace: 'team-b', name: 'creds-a' } };
    expect(route(elsewhere, 'update')).toEqual([]);
  });

  it('reaches the APIs of a Notification from a changed Group of its console.groupRefs', () => {
    const { route } = setUp();
    expect(route(withGeneration(byName('Group', 'devs'), 2), 'update')).toEqual([
      'ApiDefinition team-a/billing',
      'Notification team-a/alerts',
    ]);
  });

  it('routes the deletion of an object', () => {
    const { route } = setUp();
    const group = byName('Group', 'devs');
    route(group, 'add');
    expect(route(group, 'delete')).toEqual(['ApiDefinition team-a/billing', 'Notification team-a/alerts']);
    // Forgotten once deleted: the same object coming back is a change again.
    expect(route(group, 'update')).toHaveLength(2);
  });

  it('routes a change of the APIM ids in a status: a subscription waits for its API to be in APIM', () => {
    const { route } = setUp();
    const api = byName('ApiV4Definition', 'orders');
    route(api, 'add');
    expect(route(withGeneration(api, 1, { id: 'api-1', plans: { keys: 'plan-1' } }), 'update')).toEqual([
      'Subscription team-a/orders-app',
    ]);
    expect(route(withGeneration(api, 1, { id: 'api-1', plans: { keys: 'plan-1' }, conditions: [] }), 'update')).toEqual(
      [],
    );
    expect(route(withGeneration(api, 1, { id: 'api-1', plans: { keys: 'plan-2' } }), 'update')).toEqual([
      'Subscription team-a/orders-app',
    ]);
  });

  it('routes a change of Ready, not of its message: a user waiting quietly says so once its reference fails', () => {
    const { route } = setUp();
    const api = byName('ApiV4Definition', 'orders');
    const ready = (status: string, message: string) => ({
      conditions: [{ type: 'Ready', status, reason: 'ApimUnavailable', message, observedGeneration: 1 }],
    });
    route(api, 'add');
    expect(route(withGeneration(api, 1, ready('False', 'APIM answered 503')), 'update')).toEqual([
      'Subscription team-a/orders-app',
    ]);
    expect(route(withGeneration(api, 1, ready('False', 'APIM answered 502')), 'update')).toEqual([]);
  });

  it('enqueues the API and the application of a subscription that comes or goes, for their counters', () => {
    const { route } = setUp();
    const subscription = byName('Subscription', 'orders-app');
    expect(route(subscription, 'add')).toEqual(['ApiV4Definition team-a/orders', 'Application team-a/app']);
    expect(route(withGeneration(subscription, 1, { id: 's-1' }), 'update')).toEqual([]);
    const deleting = { ...subscription, metadata: { ...subscription.metadata, deletionTimestamp: new Date() } };
    expect(route(deleting, 'update')).toHaveLength(2);
    expect(route(subscription, 'delete')).toHaveLength(2);
  });

  it('routes nothing on a resync, whatever the object', () => {
    const { route } = setUp();
    for (const o of [byName('Secret', 'creds-a'), byName('ManagementContext', 'apim-a'), byName('Group', 'devs')])
      expect(route(withGeneration(o, 9), 'resync')).toEqual([]);
  });

  it('re-routes a SharedPolicyGroup whose APIM ids in status change, with the same generation', () => {
    const { route } = setUp();
    const group = byName('SharedPolicyGroup', 'headers');
    expect(route(group, 'add')).toEqual(['ApiV4Definition team-a/orders', 'Subscription team-a/orders-app']);
    expect(route(withGeneration(group, 1, { crossId: 'c-1', id: 'i-1', conditions: [] }), 'update')).toEqual([]);
    expect(route(withGeneration(group, 1, { crossId: 'c-2', id: 'i-1' }), 'update')).toEqual([
      'ApiV4Definition team-a/orders',
      'Subscription team-a/orders-app',
    ]);
    expect(route(withGeneration(group, 1, { crossId: 'c-2', id: 'i-2' }), 'update')).toHaveLength(2);
  });

  it('enqueues each user once per change, however many paths lead to it', () => {
    const cache = new FakeCache([
      object('Group', 'devs', {}),
      object('Notification', 'alerts', { console: { groupRefs: [{ name: 'devs' }] } }),
      object('ApiV4Definition', 'both', { groupRefs: [{ name: 'devs' }], notificationsRefs: [{ name: 'alerts' }] }),
    ]);
    installDependencyIndexes(cache);
    const enqueued: string[] = [];
    new DependencyRouter(cache, (user) => enqueued.push(`${user.kind} ${user.name}`)).onChange(
      object('Group', 'devs', {}),
      'add',
    );
    expect(enqueued.sort()).toEqual(['ApiV4Definition both', 'Notification alerts']);
  });

  it('never enqueues the changed object itself, even when it is part of a cycle', () => {
    // Two contexts referring to each other: nothing real, but it must not loop.
    const cache = new FakeCache([
      object('ManagementContext', 'one', { contextRef: { name: 'two' } }),
      object('ManagementContext', 'two', { contextRef: { name: 'one' } }),
    ]);
    installDependencyIndexes(cache);
    const enqueued: string[] = [];
    new DependencyRouter(cache, (user) => enqueued.push(user.name)).onChange(
      object('ManagementContext', 'one', {}),
      'add',
    );
    expect(enqueued).toEqual(['two']);
  });
});

describe('routing through long and short paths at once', () => {
  it('reaches every transitive user, whichever path finds it first', () => {
    // The API is reached from the Secret directly (a template) and through a five-step chain; its
    // Subscription must be reached either way.
    const chain = [
      secret('s'),
      context('m1', 's'),
      object('Group', 'g', { contextRef: { name: 'm1' } }),
      object('Notification', 'n', { console: { groupRefs: [{ name: 'g' }] } }),
      object('ApiV4Definition', 'a', {
        contextRef: { name: 'm2' },
        notificationsRefs: [{ name: 'n' }],
        description: '[[ secret `s/key` ]]',
      }),
      object('Subscription', 'x', { api: { name: 'a' }, application: { name: 'app' } }),
    ];
    const cache = new FakeCache(chain);
    installDependencyIndexes(cache);
    const enqueued: string[] = [];
    const router = new DependencyRouter(cache, (id) => enqueued.push(`${id.kind}/${id.name}`));
    router.onChange(chain[0]!, 'update');
    expect(enqueued.sort()).toEqual([
      'ApiV4Definition/a',
      'Group/g',
      'ManagementContext/m1',
      'Notification/n',
      'Subscription/x',
    ]);
  });
});
