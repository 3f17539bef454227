// What the portal kinds belong to in APIM: a Portal (links, listings, a portal's pages) or a v4 API
// (an API's pages, the APIs of a listing). APIM names both by HRID in paths and bodies, so they must be
// in APIM by HRID first: until then the object waits, naming what is missing, and the router wakes it
// when the parent's status changes. A parent that can never do (no context, known by UUID, another
// context) refuses the object until that parent changes.
import { referenceKey, resolveReference, type ObjectReference } from '@gko/api';
import { apiV4Ids, objectHrid } from '@gko/mapi';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { InvalidSpecError, MissingReferenceError, notInApimYet } from '../reconcile/errors.ts';
import { referencedContext, type ResolvedContext } from './context.ts';
import { identityIssues } from './identity.ts';
import type { SyncedObject } from './synchronizer.ts';

export type ParentObject = SyncedObject & {
  kind?: string;
  spec: { contextRef?: ObjectReference; id?: string };
};

export interface Parent {
  object: ParentObject;
  /** What APIM names it by, in paths and bodies. */
  hrid: string;
  /** namespace/name of the context it is synchronised through. */
  contextKey: string;
  context: ResolvedContext;
}

/** The parent as the reference names it, from the cache (undefined when it is not there). */
export function cachedParent(
  ref: ObjectReference,
  kind: 'Portal' | 'ApiV4Definition',
  referrerNamespace: string,
  context: ReconcileContext,
): { namespace: string; name: string; object: ParentObject | undefined } {
  const { namespace, name } = resolveReference(ref, referrerNamespace);
  return { namespace, name, object: context.cache.get(kind, namespace, name) as ParentObject | undefined };
}

/**
 * Why a parent can never hold children in APIM by HRID, if it cannot: it names what another object
 * manages, it has no context (so it is not in APIM: an API with one is written there, in local mode
 * too), or it is a v4 API known by UUID (synchronised before human-readable ids).
 */
export function parentRefusal(
  object: ParentObject,
  kind: 'Portal' | 'ApiV4Definition',
  context: ReconcileContext,
): { reason: string; message: string } | undefined {
  const shown = `${kind} ${object.metadata.namespace}/${object.metadata.name}`;
  const issues = identityIssues(object, context.cache);
  if (issues.length > 0) return { reason: 'IdentityConflict', message: `${shown} is refused (${issues.join('; ')})` };
  if (!object.spec.contextRef)
    return { reason: 'ParentNotInApim', message: `${shown} has no contextRef, so it is not in APIM` };
  if (kind === 'ApiV4Definition' && apiV4Ids(object).hridContainsUUID)
    return {
      reason: 'ParentKnownById',
      message: `${shown} is known to APIM by its id (synchronised before human-readable ids), and portals name APIs by HRID only`,
    };
  return undefined;
}

/** A parent ready to hold children in APIM, or an error saying why not (yet). */
export function resolveParent(
  ref: ObjectReference,
  kind: 'Portal' | 'ApiV4Definition',
  referrerNamespace: string,
  field: string,
  context: ReconcileContext,
): Parent {
  const { namespace, name, object } = cachedParent(ref, kind, referrerNamespace, context);
  if (!object) throw new MissingReferenceError(field, kind, namespace, name);
  const refusal = parentRefusal(object, kind, context);
  if (refusal) throw new InvalidSpecError(refusal.reason, `${field}: ${refusal.message}`, { kind, namespace, name });
  const contextRef = object.spec.contextRef!; // parentRefusal answers for a parent without one
  if (!object.status?.id) throw notInApimYet(field, { ...object, kind });
  return {
    object,
    hrid: objectHrid(object.metadata),
    contextKey: referenceKey(contextRef, namespace),
    context: referencedContext(contextRef, namespace, field, context.cache, context.settings.templating),
  };
}
