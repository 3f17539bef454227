// Writes the ConfigMap a gateway reads, comparing with the cached copy first: an unchanged definition
// is never rewritten (each rewrite is a redeployment on every gateway).
import type { V1ConfigMap } from '@kubernetes/client-node';
import { apiRequest, CONFIG_MAPS, isConflict, isNotFound, objectPath, type KubeConnection } from '@gko/kube';
import { jsonEqual } from '@gko/runtime';

export type ConfigMapWrite = 'created' | 'updated' | 'unchanged';

const same = (a: V1ConfigMap, b: V1ConfigMap) =>
  jsonEqual(a.data ?? {}, b.data ?? {}) &&
  jsonEqual(a.metadata?.labels ?? {}, b.metadata?.labels ?? {}) &&
  jsonEqual(a.metadata?.ownerReferences ?? [], b.metadata?.ownerReferences ?? []);

/** What a rewrite keeps of the stored ConfigMap: labels and annotations others may have added. */
function merged(desired: V1ConfigMap, stored: V1ConfigMap): V1ConfigMap {
  return {
    ...desired,
    metadata: {
      ...desired.metadata,
      labels: { ...stored.metadata?.labels, ...desired.metadata?.labels },
      ...(stored.metadata?.annotations ? { annotations: stored.metadata.annotations } : {}),
      resourceVersion: stored.metadata?.resourceVersion,
    },
  };
}

export function configMapDiffers(desired: V1ConfigMap, stored: V1ConfigMap | undefined): boolean {
  return !stored || !same(desired, stored);
}

export async function writeConfigMap(
  kube: KubeConnection,
  desired: V1ConfigMap,
  cached: V1ConfigMap | undefined,
): Promise<ConfigMapWrite> {
  const key = { namespace: desired.metadata?.namespace ?? '', name: desired.metadata?.name ?? '' };
  const path = objectPath(CONFIG_MAPS, key);
  let stored = cached;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (stored && same(desired, stored)) return 'unchanged';
    try {
      if (stored) {
        await apiRequest(kube, { method: 'PUT', path, body: merged(desired, stored) });
        return 'updated';
      }
      await apiRequest(kube, {
        method: 'POST',
        path: objectPath(CONFIG_MAPS, key).replace(/\/[^/]+$/, ''),
        body: desired,
      });
      return 'created';
    } catch (error) {
      // The cache was behind: read the stored copy and try again from it.
      if (!isConflict(error) && !isNotFound(error)) throw error;
      try {
        stored = await apiRequest<V1ConfigMap>(kube, { method: 'GET', path });
      } catch (readError) {
        if (!isNotFound(readError)) throw readError;
        stored = undefined;
      }
    }
  }
  throw new Error(`ConfigMap ${key.namespace}/${key.name} kept changing while being written`);
}

/** Deletes the ConfigMap if it is there; true when something was deleted. */
export async function deleteConfigMap(kube: KubeConnection, namespace: string, name: string): Promise<boolean> {
  try {
    await apiRequest(kube, { method: 'DELETE', path: objectPath(CONFIG_MAPS, { namespace, name }) });
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}
