// What an informer keeps of each object. Caches hold every object of a resource for the life of the
// process, so anything nobody reads is memory wasted many times over.
import type { KubernetesObject } from '@kubernetes/client-node';

/** Turns an object from the API server into what is cached and handed to handlers. */
export type ObjectTransform<T extends KubernetesObject = KubernetesObject> = (object: T) => T;

/**
 * The default transform: server-side apply bookkeeping (`metadata.managedFields`) is often the largest
 * part of an object and the operator never reads it. Everything else is kept as is.
 */
export function dropManagedFields<T extends KubernetesObject>(object: T): T {
  if (object.metadata?.managedFields === undefined) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
