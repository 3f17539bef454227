// Finalizers are changed with patches that touch only what they mean to change, so a
// concurrent edit by a user or another controller is never overwritten.
import type { KubernetesObject } from '@kubernetes/client-node';
import { apiRequest, isNotFound, KubeApiError } from '../client/api-request.ts';
import type { KubeConnection } from '../client/connection.ts';
import type { ResourceType } from '../informer/resource.ts';
import { objectPath } from './paths.ts';

const JSON_PATCH = 'application/json-patch+json';

type PatchOperation = { op: 'add' | 'replace' | 'test'; path: string; value: unknown } | { op: 'remove'; path: string };

function keyOf(object: KubernetesObject) {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

async function jsonPatch<T extends KubernetesObject>(
  connection: KubeConnection,
  resource: ResourceType,
  object: T,
  operations: PatchOperation[],
): Promise<T | undefined> {
  try {
    return await apiRequest<T>(connection, {
      method: 'PATCH',
      path: objectPath(resource, keyOf(object)),
      body: operations,
      contentType: JSON_PATCH,
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

// A failed "test" operation answers 422 (Invalid) or 409: the object moved under us.
const isStale = (error: unknown) => error instanceof KubeApiError && (error.status === 422 || error.status === 409);

async function fresh<T extends KubernetesObject>(connection: KubeConnection, resource: ResourceType, object: T) {
  try {
    return await apiRequest<T>(connection, { method: 'GET', path: objectPath(resource, keyOf(object)) });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Adds the finalizer if missing. Returns the patched object, or the object itself when nothing changed. */
export async function addFinalizer<T extends KubernetesObject>(
  connection: KubeConnection,
  resource: ResourceType,
  object: T,
  finalizer: string,
): Promise<T | undefined> {
  let current: T | undefined = object;
  for (let attempt = 0; current && attempt < 3; attempt++) {
    const list = current.metadata?.finalizers;
    if (list?.includes(finalizer)) return current;
    // Appending needs the list to exist; creating it must not erase one that appeared meanwhile.
    const operations: PatchOperation[] = list
      ? [{ op: 'add', path: '/metadata/finalizers/-', value: finalizer }]
      : [
          { op: 'test', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
          { op: 'add', path: '/metadata/finalizers', value: [finalizer] },
        ];
    try {
      return await jsonPatch(connection, resource, current, operations);
    } catch (error) {
      if (!isStale(error)) throw error;
      current = await fresh(connection, resource, current);
    }
  }
  throw new Error(`could not add finalizer ${finalizer}: the object kept changing`);
}

/** Removes each of the finalizers the object holds (and, if given, those of the annotations it has); the others stay. */
export async function removeFinalizers<T extends KubernetesObject>(
  connection: KubeConnection,
  resource: ResourceType,
  object: T,
  finalizers: string[],
  options: { annotations?: string[] } = {},
): Promise<T | undefined> {
  let current: T | undefined = object;
  for (let attempt = 0; current && attempt < 3; attempt++) {
    const list = current.metadata?.finalizers ?? [];
    // Each removal is guarded by a test of the value at its index; removing from the end keeps the
    // indexes of the earlier ones valid.
    const operations = list
      .map((value, index) => ({ value, index }))
      .filter(({ value }) => finalizers.includes(value))
      .reverse()
      .flatMap(({ value, index }): PatchOperation[] => [
        { op: 'test', path: `/metadata/finalizers/${index}`, value },
        { op: 'remove', path: `/metadata/finalizers/${index}` },
      ]);
    const annotations = current.metadata?.annotations ?? {};
    for (const key of options.annotations ?? []) {
      const value = annotations[key];
      if (value === undefined) continue;
      const path = `/metadata/annotations/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      operations.push({ op: 'test', path, value }, { op: 'remove', path });
    }
    if (operations.length === 0) return current;
    try {
      return await jsonPatch(connection, resource, current, operations);
    } catch (error) {
      if (!isStale(error)) throw error;
      current = await fresh(connection, resource, current);
    }
  }
  throw new Error(`could not remove finalizers ${finalizers.join(', ')}: the object kept changing`);
}
