// status.subscriptions on APIs and Applications, kept for compatibility with upstream's status. It is
// counted from the cache at each reconcile rather than incremented and decremented, so it cannot
// drift; and no delete guard reads it (they ask the dependency index).
import { objectDependencies } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../reconcile/contract.ts';
import { directUsers, idOf, type ObjectId } from './users.ts';

/** The counter field to record, or nothing for an object that never had a subscription (no write for it). */
export function subscriptionCounter(
  cache: CacheReader,
  object: KubernetesObject & { status?: { subscriptions?: unknown } },
): Record<string, unknown> {
  const count = directUsers(cache, idOf(object)).filter(
    (user) => user.kind === 'Subscription' && !user.metadata?.deletionTimestamp,
  ).length;
  return count === 0 && object.status?.subscriptions === undefined ? {} : { subscriptions: count };
}

/** The API and the Application whose counters a Subscription counts in. */
export function countedBy(subscription: KubernetesObject): ObjectId[] {
  return objectDependencies(subscription as never).filter((d) => d.kind !== 'Secret' && d.kind !== 'ConfigMap');
}
