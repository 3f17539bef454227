import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../test-support.ts';
import { countedBy, subscriptionCounter } from './counters.ts';
import { installDependencyIndexes } from './users.ts';

const object = (kind: string, name: string, spec: object, extra: object = {}) =>
  ({ kind, metadata: { namespace: 'ns', name }, spec, ...extra }) as KubernetesObject;
const subscription = (name: string, deleting = false) =>
  ({
    kind: 'Subscription',
    metadata: { namespace: 'ns', name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'keys' },
  }) as KubernetesObject;

function cacheOf(objects: KubernetesObject[]) {
  const cache = new FakeCache(objects);
  installDependencyIndexes(cache);
  return cache;
}

describe('the subscription counter', () => {
  const api = object('ApiV4Definition', 'orders', {});
  const app = object('Application', 'shop', {});

  it('counts the subscriptions of the cache that are not being deleted', () => {
    const cache = cacheOf([api, app, subscription('a'), subscription('b'), subscription('c', true)]);
    expect(subscriptionCounter(cache, api)).toEqual({ subscriptions: 2 });
    expect(subscriptionCounter(cache, app)).toEqual({ subscriptions: 2 });
  });

  it('writes nothing for an object that never had a subscription, and 0 once its last one is gone', () => {
    const cache = cacheOf([api]);
    expect(subscriptionCounter(cache, api)).toEqual({});
    expect(subscriptionCounter(cache, { ...api, status: { subscriptions: 1 } })).toEqual({
      subscriptions: 0,
    });
  });

  it('is kept by the API (of the kind named, v4 by default) and the application of a subscription', () => {
    expect(countedBy(subscription('a')).map((d) => `${d.kind}/${d.namespace}/${d.name}`)).toEqual([
      'ApiV4Definition/ns/orders',
      'Application/ns/shop',
    ]);
    const v2 = {
      ...subscription('b'),
      spec: { api: { name: 'legacy', kind: 'ApiDefinition' }, application: { name: 'shop' } },
    };
    expect(countedBy(v2 as KubernetesObject).map((d) => d.kind)).toEqual(['ApiDefinition', 'Application']);
  });
});
