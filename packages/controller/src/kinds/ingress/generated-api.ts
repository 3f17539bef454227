// Storing the ApiDefinition generated for an Ingress: created, updated when what the controller sets
// differs from what is stored (fields the API server defaulted are not differences), deleted when the
// Ingress stops being handled. An ApiDefinition of the same name that the Ingress does not own is
// never touched.
import { GRAVITEE_RESOURCES, apiRequest, collectionPath, isNotFound, objectPath, type KubeConnection } from '@gko/kube';
import type { ApiDefinition } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../../reconcile/contract.ts';
import type { SyncedObject } from '../../sync/synchronizer.ts';

export type GeneratedApi = ApiDefinition & SyncedObject;

const API_DEFINITIONS = GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiDefinition')!;

/** Whether `actual` holds everything `desired` says (it may hold more: defaults). */
export function holds(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired))
    return Array.isArray(actual) && actual.length === desired.length && desired.every((d, i) => holds(d, actual[i]));
  if (desired !== null && typeof desired === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(desired).every(([k, v]) => holds(v, (actual as Record<string, unknown>)[k]));
  }
  return desired === actual;
}

/** The owner reference naming an Ingress, if the object has one. */
export function ingressOwner(object: KubernetesObject): { name: string; uid: string } | undefined {
  return object.metadata?.ownerReferences?.find(
    (o) => o.kind === 'Ingress' && o.apiVersion.startsWith('networking.k8s.io/'),
  );
}

/** The ApiDefinition generated for the Ingress of that name (and uid, when known), from the cache. */
export function generatedApi(cache: CacheReader, namespace: string, name: string, uid?: string) {
  const found = cache.get('ApiDefinition', namespace, name) as GeneratedApi | undefined;
  const owner = found ? ingressOwner(found) : undefined;
  return found && owner?.name === name && (uid === undefined || owner.uid === uid) ? found : undefined;
}

export type ApiWrite = 'created' | 'updated' | 'unchanged';

/** Writes the desired ApiDefinition over the stored one (if any), keeping what others added to its metadata. */
export async function writeGeneratedApi(
  kube: KubeConnection,
  desired: ApiDefinition,
  stored: GeneratedApi | undefined,
): Promise<ApiWrite> {
  const { name = '', namespace = '' } = desired.metadata;
  if (!stored) {
    await apiRequest(kube, { method: 'POST', path: collectionPath(API_DEFINITIONS, namespace), body: desired });
    return 'created';
  }
  const same =
    holds(desired.spec, stored.spec) &&
    holds(desired.metadata.annotations ?? {}, stored.metadata.annotations ?? {}) &&
    holds(desired.metadata.ownerReferences, stored.metadata.ownerReferences);
  if (same) return 'unchanged';
  const annotations = { ...stored.metadata.annotations, ...desired.metadata.annotations };
  await apiRequest(kube, {
    method: 'PUT',
    path: objectPath(API_DEFINITIONS, { namespace, name }),
    body: {
      ...desired,
      metadata: { ...stored.metadata, annotations, ownerReferences: desired.metadata.ownerReferences },
      status: stored.status,
    },
  });
  return 'updated';
}

/** Deletes a generated ApiDefinition, only if it is still the one read (same uid). */
export async function deleteGeneratedApi(kube: KubeConnection, api: GeneratedApi): Promise<boolean> {
  try {
    await apiRequest(kube, {
      method: 'DELETE',
      path: objectPath(API_DEFINITIONS, { namespace: api.metadata.namespace ?? '', name: api.metadata.name }),
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: api.metadata.uid } },
    });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
