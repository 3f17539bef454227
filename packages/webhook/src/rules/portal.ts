// What the portal kinds check of what they belong to: the Portal they name, with a usable context,
// and the v4 APIs they list or document, synchronised with APIM through the portal's context (or,
// for an API's pages, through the API's own). The same words as the controllers wait with.
import {
  referenceKey,
  resolveReference,
  type ApiV4Definition,
  type ManagementContext,
  type ObjectReference,
  type Portal,
} from '@gko/api';
import { apiV4Ids } from '@gko/mapi';
import { findContext } from './context.ts';
import { deleteGuard, usersOf } from './references.ts';
import { error, missingObject, type Finding, type KubeObject, type Lookups } from './rule.ts';

export interface ResolvedParent<T> {
  object?: T;
  context?: ManagementContext;
  /** namespace/name of the parent's ManagementContext. */
  contextKey?: string;
  findings: Finding[];
}

/** The Portal an object belongs to, and its context. */
export function findPortal(
  ref: ObjectReference,
  namespace: string,
  lookups: Lookups,
  path = 'spec.portalRef',
): ResolvedParent<Portal> {
  const { namespace: ns, name } = resolveReference(ref, namespace);
  const portal = lookups.get<Portal>('Portal', ns, name);
  if (!portal) return { findings: [missingObject(path, { kind: 'Portal', namespace: ns, name })] };
  const { context, findings } = findContext(portal.spec.contextRef, ns, lookups, path);
  return {
    object: portal,
    ...(context ? { context } : {}),
    contextKey: referenceKey(portal.spec.contextRef, ns),
    findings: findings.map((f) => ({ ...f, message: `the context of Portal ${ns}/${name}: ${f.message}` })),
  };
}

/**
 * A v4 API a portal object names: it must exist, be synchronised with APIM by HRID (the Automation API
 * names it in listings and paths), and, when `contextKey` is given, through that context.
 */
export function findPortalApi(
  ref: ObjectReference,
  namespace: string,
  lookups: Lookups,
  path: string,
  contextKey?: string,
): ResolvedParent<ApiV4Definition> {
  const { namespace: ns, name } = resolveReference(ref, namespace);
  const shown = `ApiV4Definition ${ns}/${name}`;
  const api = lookups.get<ApiV4Definition>('ApiV4Definition', ns, name);
  if (!api) return { findings: [missingObject(path, { kind: 'ApiV4Definition', namespace: ns, name })] };
  const fail = (message: string): ResolvedParent<ApiV4Definition> => ({
    object: api,
    findings: [error(path, message)],
  });
  // With a context, the API is written to APIM (in local mode as well, before its ConfigMap).
  if (!api.spec.contextRef) return fail(`${shown} has no contextRef, so it is not in APIM`);
  const apiContext = referenceKey(api.spec.contextRef, ns);
  if (contextKey && apiContext !== contextKey)
    return fail(
      `${shown} is synchronised through ManagementContext ${apiContext}, and the portal through ${contextKey}: they must be the same`,
    );
  if (apiV4Ids({ metadata: api.metadata, spec: api.spec, status: api.status }).hridContainsUUID)
    return fail(
      `${shown} is known to APIM by its id (it was synchronised before human-readable ids): portals name APIs by their HRID only`,
    );
  const { context, findings } = findContext(api.spec.contextRef, ns, lookups, path);
  return { object: api, ...(context ? { context } : {}), contextKey: apiContext, findings };
}

/** DELETE of a Portal or an ApiV4Definition: refused while portal objects name it. */
export function portalUsersGuard(lookups: Lookups, kind: 'Portal' | 'ApiV4Definition', object: KubeObject): Finding[] {
  const target = `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
  const kinds =
    kind === 'Portal'
      ? (['PortalLink', 'PortalListing', 'Documentation'] as const)
      : (['PortalListing', 'Documentation'] as const);
  return deleteGuard(usersOf(lookups, kind, target, kinds), 'delete them first, or remove this object from them');
}
