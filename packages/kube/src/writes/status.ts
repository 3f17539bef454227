// Status is written through the status subresource, and only when it differs from what the object
// already holds: an operator that rewrites unchanged status wakes every watcher for nothing.
import type { KubernetesObject } from '@kubernetes/client-node';
import { jsonEqual } from '@gko/runtime';
import { apiRequest, isConflict, isNotFound } from '../client/api-request.ts';
import type { KubeConnection } from '../client/connection.ts';
import type { ResourceType } from '../informer/resource.ts';
import { objectPath } from './paths.ts';

type WithStatus = KubernetesObject & { status?: unknown };

const CONFLICT_ATTEMPTS = 5;

/**
 * Replaces the object's status with `status` unless it is already that. A conflict (the object
 * changed since it was read) is retried against a fresh copy, where the status may already be right.
 * Returns the stored object when written, undefined when nothing needed writing or the object is gone.
 */
export async function writeStatus<T extends WithStatus>(
  connection: KubeConnection,
  resource: ResourceType,
  object: T,
  status: unknown,
): Promise<T | undefined> {
  const key = { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
  const path = objectPath(resource, key, 'status');
  let current: T = object;
  for (let attempt = 1; ; attempt++) {
    if (jsonEqual(current.status ?? {}, status ?? {})) return undefined;
    try {
      return await apiRequest<T>(connection, { method: 'PUT', path, body: { ...current, status } });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error) || attempt >= CONFLICT_ATTEMPTS) throw error;
    }
    try {
      current = await apiRequest<T>(connection, { method: 'GET', path: objectPath(resource, key) });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/**
 * Sets only the given status fields (a JSON merge patch of the status subresource), leaving every
 * other field as the server holds it: for values computed apart from a synchronisation, which must
 * never put back an older copy of the rest of the status.
 */
export async function patchStatusFields<T extends WithStatus>(
  connection: KubeConnection,
  resource: ResourceType,
  object: T,
  fields: Record<string, unknown>,
): Promise<T | undefined> {
  const key = { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
  try {
    return await apiRequest<T>(connection, {
      method: 'PATCH',
      path: objectPath(resource, key, 'status'),
      body: { status: fields },
      contentType: 'application/merge-patch+json',
    });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
