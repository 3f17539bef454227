// Who uses an object, through one index on every kind: "dependsOn", holding the key of everything an
// object refers to (objects of ours, Secrets, ConfigMaps). Finding the users of an object is then a
// lookup, not a scan of the cache.
import { DEPENDS_ON_INDEX, dependencyKey, dependsOnValues, KINDS } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../reconcile/contract.ts';

/** The index shared with the webhook when both run in one process (the same function: installed once). */
export const DEPENDS_ON = DEPENDS_ON_INDEX;

export interface IndexedCache {
  addIndex(kind: string, name: string, values: (object: KubernetesObject) => string[]): void;
}

/** Installs the dependsOn index on every kind of ours. */
export function installDependencyIndexes(cache: IndexedCache): void {
  for (const { kind } of KINDS) cache.addIndex(kind, DEPENDS_ON, dependsOnValues);
}

export interface ObjectId {
  kind: string;
  namespace: string;
  name: string;
}

export const idOf = (object: KubernetesObject): ObjectId => ({
  kind: object.kind ?? '',
  namespace: object.metadata?.namespace ?? '',
  name: object.metadata?.name ?? '',
});

/** The objects of ours that refer to the target directly. */
export function directUsers(cache: CacheReader, target: ObjectId): KubernetesObject[] {
  const key = dependencyKey(target);
  return KINDS.flatMap(({ kind }) => cache.byIndex(kind, DEPENDS_ON, key));
}

/** Users that still hold the object, as "Kind namespace/name", for delete guards and their messages. */
export function usersOf(cache: CacheReader, object: KubernetesObject): string[] {
  return directUsers(cache, idOf(object))
    .filter((user) => !user.metadata?.deletionTimestamp || (user.metadata.finalizers?.length ?? 0) > 0)
    .map((user) => `${user.kind} ${user.metadata?.namespace}/${user.metadata?.name}`)
    .sort();
}
