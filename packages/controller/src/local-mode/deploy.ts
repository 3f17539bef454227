// Deploying an API to gateways through its ConfigMap, for the API kinds' reconcilers: write it (or
// remove it when the API is STOPPED), tell how it differs from what should be, and never touch a
// ConfigMap of the same name that belongs to someone else.
import type { V1ConfigMap } from '@kubernetes/client-node';
import { InvalidSpecError, WaitingError } from '../reconcile/errors.ts';
import type { ReconcileContext } from '../reconcile/contract.ts';
import type { SyncedObject } from '../sync/synchronizer.ts';
import type { CompareMode } from '../sync/synchronizer.ts';
import { deploymentIdentity, isLocalModeConfigMap, type LocalConfigMap } from './configmap.ts';
import { configMapDiffers, deleteConfigMap, writeConfigMap } from './writer.ts';

function cachedConfigMap(context: ReconcileContext, api: SyncedObject): V1ConfigMap | undefined {
  return context.cache.get('ConfigMap', api.metadata.namespace ?? '', api.metadata.name);
}

const owned = (api: SyncedObject, configMap: V1ConfigMap) =>
  isLocalModeConfigMap(configMap, { kind: api.kind ?? '', metadata: api.metadata });

/** Writes the API's ConfigMap, or removes it when `desired` is undefined (a STOPPED API). */
export async function syncLocalConfigMap(
  context: ReconcileContext,
  api: SyncedObject,
  desired: LocalConfigMap | undefined,
): Promise<string> {
  const namespace = api.metadata.namespace ?? '';
  const name = api.metadata.name;
  const cached = cachedConfigMap(context, api);
  if (cached && !owned(api, cached)) {
    // A gateway ConfigMap of an earlier API of the same name, deleted and created again: garbage
    // collection removes it shortly.
    if (isLocalModeConfigMap(cached))
      throw new WaitingError(
        'ConfigMapConflict',
        `ConfigMap ${namespace}/${name} still belongs to an earlier API of the same name; waiting for it to be deleted`,
      );
    throw new InvalidSpecError(
      'ConfigMapConflict',
      `ConfigMap ${namespace}/${name} exists and was not written for this API: gateways read an API from the ConfigMap named like it, so rename the API or that ConfigMap`,
      { kind: 'ConfigMap', namespace, name },
    );
  }
  if (!desired) {
    const removed = cached ? await deleteConfigMap(context.kube, namespace, name) : false;
    return removed ? `stopped: ConfigMap ${namespace}/${name} removed from the gateways` : 'stopped: not deployed';
  }
  const outcome = await writeConfigMap(context.kube, desired, cached);
  return `ConfigMap ${namespace}/${name} ${outcome} for the gateways`;
}

/** What localDrift can say: differences of the gateways' copy, not of APIM's. */
export const LOCAL_DIFFERENCES = {
  unwanted: 'a ConfigMap is deployed that should not be',
  missing: 'the ConfigMap is missing',
  differs: 'the ConfigMap',
} as const;

export const isLocalDifference = (difference: string) =>
  (Object.values(LOCAL_DIFFERENCES) as string[]).includes(difference);

/**
 * What differs between the deployed ConfigMap and what should be deployed. A ConfigMap taken over as
 * upstream's operator wrote it (status.adoptedConfigMap) stays as it is until the API changes, and
 * one it wrote for the very spec being taken over is taken as it is when it deploys the same ids: a
 * rewrite would be a redeployment on every gateway for nothing.
 */
export function localDrift(
  context: ReconcileContext,
  api: SyncedObject,
  desired: LocalConfigMap | undefined,
  mode: CompareMode,
): string[] {
  const cached = cachedConfigMap(context, api);
  if (!desired) return cached && owned(api, cached) ? [LOCAL_DIFFERENCES.unwanted] : [];
  if (!cached) return [LOCAL_DIFFERENCES.missing];
  if (!owned(api, cached)) return [];
  const version = cached.metadata?.resourceVersion;
  if (version && version === api.status?.['adoptedConfigMap']) return [];
  if (mode === 'adopting-synced' && deploymentIdentity(desired) === deploymentIdentity(cached)) return [];
  return configMapDiffers(desired, cached) ? [LOCAL_DIFFERENCES.differs] : [];
}

/** The ConfigMap upstream's operator wrote for the API, as taken over: its version, for the status. */
export function adoptedConfigMap(context: ReconcileContext, api: SyncedObject): Record<string, unknown> {
  const cached = cachedConfigMap(context, api);
  return cached && owned(api, cached) ? { adoptedConfigMap: cached.metadata?.resourceVersion } : {};
}

/**
 * Removes the API's ConfigMap if it has one: on delete (garbage collection would too, but later and
 * only where a controller-manager runs), and when the API stops being deployed locally.
 */
export async function removeLocalConfigMap(context: ReconcileContext, api: SyncedObject): Promise<string | undefined> {
  const cached = cachedConfigMap(context, api);
  if (!cached || !owned(api, cached)) return undefined;
  await deleteConfigMap(context.kube, api.metadata.namespace ?? '', api.metadata.name);
  return `ConfigMap ${api.metadata.namespace}/${api.metadata.name} removed from the gateways`;
}
