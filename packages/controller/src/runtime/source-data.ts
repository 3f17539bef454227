// Which Secrets and ConfigMaps the cache keeps whole (see data-policy.ts in @gko/kube): those an
// object of ours names, the gateway ConfigMaps the operator writes, and those an extension reads.
// When an object starts naming one that was cached as metadata only, its data is read once, and its
// reconcile waits for that read; one that reads it through another object (a context's credentials)
// before it is there waits a moment (DataNotLoadedError), rather than take it for empty.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isGraviteeObject, objectDependencies } from '@gko/api';
import type { KeepData } from '@gko/kube';
import { directUsers, idOf } from '../dependencies/users.ts';
import { isLocalModeConfigMap } from '../local-mode/configmap.ts';
import type { CacheReader } from '../reconcile/contract.ts';
import type { ManagerExtension, SourceId } from './extension.ts';

const isSource = (d: { kind: string }): d is SourceId => d.kind === 'Secret' || d.kind === 'ConfigMap';

/** The policy: a Secret or ConfigMap is kept whole when something here reads its data. */
export function keepsData(cache: CacheReader, extensions: readonly ManagerExtension[]): KeepData {
  return (object) =>
    isLocalModeConfigMap(object) ||
    directUsers(cache, idOf(object)).length > 0 ||
    extensions.some((e) => e.readsData?.(object, cache) ?? false);
}

/** The Secrets and ConfigMaps an object reads the data of directly. */
export function sourcesNamedBy(object: KubernetesObject, extensions: readonly ManagerExtension[]): SourceId[] {
  if (isGraviteeObject(object)) return objectDependencies(object).filter(isSource);
  return extensions.flatMap((e) => e.sources?.(object) ?? []);
}

/**
 * What a reconcile of the object reads the data of: what it names, and what the objects of ours it
 * names name (a context's credentials, an ApiResource's templates).
 */
export function sourcesNeededBy(
  object: KubernetesObject,
  cache: CacheReader,
  extensions: readonly ManagerExtension[],
): SourceId[] {
  const named = sourcesNamedBy(object, extensions);
  if (!isGraviteeObject(object)) return named;
  const through = objectDependencies(object)
    .filter((d) => !isSource(d))
    .map((d) => cache.get(d.kind, d.namespace, d.name))
    .filter((found): found is KubernetesObject => !!found)
    .flatMap((found) => sourcesNamedBy(found, extensions));
  return [...named, ...through];
}
