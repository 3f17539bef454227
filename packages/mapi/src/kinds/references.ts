// What the mappings need from other objects of the cluster, resolved by the caller (from an informer
// cache) so that the mappings stay pure.
import { resolveReference, type ApiResourceSpec, type ObjectReference, type ResolvedReference } from '@gko/api';

export interface SharedPolicyGroupIds {
  /** Its HRID, unless APIM knows it by UUID (then only its crossId names it). */
  hrid?: string;
  crossId?: string;
  name: string;
}

export interface ApiReferences {
  /** The spec of a referenced ApiResource. */
  resource: (ref: ResolvedReference) => ApiResourceSpec | undefined;
  /** The APIM ids of a referenced SharedPolicyGroup. */
  sharedPolicyGroup: (ref: ResolvedReference) => SharedPolicyGroupIds | undefined;
  /** Names of the Group objects listed in groupRefs: APIM refers to groups by name. */
  groupNames: string[];
  /** Console notifications, from the Notification objects in notificationsRefs. */
  consoleNotification?: { events: string[]; groups: string[] };
}

/** A reference that the caller could not resolve; `field` is the path of the referring field. */
export class UnresolvedReferenceError extends Error {
  override name = 'UnresolvedReferenceError';
  readonly field: string;
  readonly reference: ResolvedReference;
  constructor(field: string, kind: string, reference: ResolvedReference) {
    super(`${field}: ${kind} ${reference.namespace}/${reference.name} does not exist`);
    this.field = field;
    this.reference = reference;
  }
}

/** For objects that refer to nothing (and for tools without a cluster). */
export const NO_REFERENCES: ApiReferences = {
  resource: () => undefined,
  sharedPolicyGroup: () => undefined,
  groupNames: [],
};

export function resolve<T>(
  lookup: (ref: ResolvedReference) => T | undefined,
  ref: ObjectReference,
  namespace: string,
  field: string,
  kind: string,
): T {
  const resolved = resolveReference(ref, namespace);
  const found = lookup(resolved);
  if (found === undefined) throw new UnresolvedReferenceError(field, kind, resolved);
  return found;
}
