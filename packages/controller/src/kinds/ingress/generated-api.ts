// Storing the ApiDefinition generated for an Ingress: created, updated when what the controller sets
// differs from what is stored, deleted when the Ingress stops being handled. An ApiDefinition of the
// same name that the Ingress does not own is never touched.
//
// "Differs" is two questions: did what the controller generates change (a hash of it, kept in an
// annotation, so that a field removed from a template is removed here too), and did someone edit
// what it wrote (the stored spec must still hold every generated value; fields the API server
// defaulted are not differences).
import { GRAVITEE_RESOURCES, apiRequest, collectionPath, isNotFound, objectPath, type KubeConnection } from '@gko/kube';
import { EXTENDS_ANNOTATION, GENERATED_FROM_TEMPLATE_ANNOTATION, type ApiDefinition } from '@gko/api';
import { stableHash } from '@gko/runtime';
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

/** The hash of what the controller generated, last written. */
export const GENERATED_HASH_ANNOTATION = 'ingress.gravitee.io/generated-hash';
/** The annotations this controller sets: any of them not in the desired object is removed. */
const MANAGED_ANNOTATIONS = [EXTENDS_ANNOTATION, GENERATED_FROM_TEMPLATE_ANNOTATION, GENERATED_HASH_ANNOTATION];

/** The desired object with the hash of its spec and annotations, as it is written. */
export function withGeneratedHash(desired: ApiDefinition): ApiDefinition {
  const hash = stableHash({ spec: desired.spec, annotations: desired.metadata.annotations ?? {} });
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata.annotations, [GENERATED_HASH_ANNOTATION]: hash },
    },
  };
}

/** Whether the stored API is what the controller would write now. */
export function upToDate(desired: ApiDefinition, stored: GeneratedApi): boolean {
  const annotations = desired.metadata.annotations ?? {};
  return (
    stored.metadata.annotations?.[GENERATED_HASH_ANNOTATION] === annotations[GENERATED_HASH_ANNOTATION] &&
    holds(desired.spec, stored.spec) &&
    holds(annotations, stored.metadata.annotations ?? {}) &&
    // Ours must be there; owner references others added are theirs.
    (desired.metadata.ownerReferences ?? []).every((mine) =>
      (stored.metadata.ownerReferences ?? []).some((theirs) => holds(mine, theirs)),
    )
  );
}

/** Writes the desired ApiDefinition over the stored one (if any), keeping what others added to its metadata. */
export async function writeGeneratedApi(
  kube: KubeConnection,
  generated: ApiDefinition,
  stored: GeneratedApi | undefined,
): Promise<ApiWrite> {
  const desired = withGeneratedHash(generated);
  const { name = '', namespace = '' } = desired.metadata;
  if (!stored) {
    await apiRequest(kube, { method: 'POST', path: collectionPath(API_DEFINITIONS, namespace), body: desired });
    return 'created';
  }
  if (upToDate(desired, stored)) return 'unchanged';
  // Annotations others added are kept; those this controller no longer sets go.
  const kept = Object.entries(stored.metadata.annotations ?? {}).filter(([k]) => !MANAGED_ANNOTATIONS.includes(k));
  const annotations = { ...Object.fromEntries(kept), ...desired.metadata.annotations };
  await apiRequest(kube, {
    method: 'PUT',
    path: objectPath(API_DEFINITIONS, { namespace, name }),
    body: {
      ...desired,
      metadata: {
        ...stored.metadata,
        annotations,
        ownerReferences: [
          ...(stored.metadata.ownerReferences ?? []).filter((r) => r.kind !== 'Ingress' || r.name !== name),
          ...(desired.metadata.ownerReferences ?? []),
        ],
      },
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
