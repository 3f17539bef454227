// One object read straight from the API server, for when a cache cannot be trusted to have it yet (an
// object created a moment ago) or is not kept at all (Secret values, read only when needed).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../informer/resource.ts';
import { objectPath, type ObjectKey } from '../writes/paths.ts';
import { apiRequest, isNotFound } from './api-request.ts';
import type { KubeConnection } from './connection.ts';

/** The object, or undefined when there is none. Other failures (timeout, 403...) are thrown. */
export async function getObject<T extends KubernetesObject = KubernetesObject>(
  connection: KubeConnection,
  resource: ResourceType,
  key: ObjectKey,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<T | undefined> {
  try {
    return await apiRequest<T>(connection, { method: 'GET', path: objectPath(resource, key), ...options });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
