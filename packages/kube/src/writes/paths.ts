// Where an object lives in the Kubernetes API, from its apiVersion, plural and name.
import type { ResourceType } from '../informer/resource.ts';
import { collectionPath } from '../informer/resource.ts';

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** The path of one object, or of one of its subresources (e.g. status). */
export function objectPath(resource: ResourceType, key: ObjectKey, subresource?: string): string {
  const path = `${collectionPath(resource, key.namespace)}/${encodeURIComponent(key.name)}`;
  return subresource ? `${path}/${subresource}` : path;
}
