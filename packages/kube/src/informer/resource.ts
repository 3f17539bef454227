// The resources an informer can follow: our kinds, and the core kinds the operator reads.
import { API_VERSION, KINDS } from '@gko/api';

export interface ResourceType {
  apiVersion: string;
  kind: string;
  plural: string;
}

export const SECRETS: ResourceType = { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' };
export const CONFIG_MAPS: ResourceType = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps' };
export const INGRESSES: ResourceType = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', plural: 'ingresses' };
export const SERVICES: ResourceType = { apiVersion: 'v1', kind: 'Service', plural: 'services' };

export const GRAVITEE_RESOURCES: ResourceType[] = KINDS.map((k) => ({
  apiVersion: API_VERSION,
  kind: k.kind,
  plural: k.plural,
}));

/** The collection path of a resource, in one namespace or in all. */
export function collectionPath(resource: ResourceType, namespace?: string): string {
  const base = resource.apiVersion.includes('/') ? `/apis/${resource.apiVersion}` : `/api/${resource.apiVersion}`;
  return namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${base}/${resource.plural}`;
}
