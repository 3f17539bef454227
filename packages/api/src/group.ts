/** The API group and version shared with the upstream operator, so existing manifests apply unchanged. */
export const GROUP = 'gravitee.io';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;

/** The `kubectl get gravitee` category every kind of this operator belongs to. */
export const CATEGORY = 'gravitee';

export interface TypeMeta {
  apiVersion?: string;
  kind?: string;
}

export function isGraviteeObject(object: TypeMeta): boolean {
  return object.apiVersion === API_VERSION;
}
