// What the two API kinds share beyond the skeleton: upstream's finalizer name (so that objects it
// created are handled, and released, by this operator), who holds an API, and the context to delete
// with.
import type { ManagementContext } from '@gko/api';
import { ContextError, type ApimClient, type ContextObject } from '@gko/mapi';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { MissingReferenceError } from '../reconcile/errors.ts';
import { usersOf } from '../dependencies/users.ts';
import { compiledContext, referencedContext, type ResolvedContext } from './context.ts';
import { resolveApiReferences } from './api-references.ts';
import { compileSpec, type SourceVersion } from '../templating/compile.ts';
import type { ApiReferences } from '@gko/mapi';
import type { SyncedObject } from './synchronizer.ts';

export const API_FINALIZER = 'finalizers.gravitee.io/apidefinitiondeletion';

/** Subscriptions still pointing at the API: it stays in APIM (and in the cluster) until they are closed. */
export function apiUsers(context: ReconcileContext, api: SyncedObject): string[] {
  return usersOf(context.cache, api).filter((user) => user.startsWith('Subscription '));
}

/**
 * The client to delete the API from APIM with. A context (or the Secret holding its credentials)
 * deleted first, as when a whole namespace goes, falls back to the credentials this process last
 * used for it. Without them, holding the finalizer would hold the namespace forever: the API is
 * released with a warning saying what may remain in APIM.
 */
export function clientForDelete(
  api: SyncedObject & { spec: { contextRef?: { name: string; namespace?: string } } },
  context: ReconcileContext,
): ApimClient | string {
  const ref = api.spec.contextRef!;
  const namespace = ref.namespace || api.metadata.namespace || 'default';
  const found = context.cache.get('ManagementContext', namespace, ref.name) as ManagementContext | undefined;
  const remains = `${api.kind} ${api.metadata.namespace}/${api.metadata.name} (status.id ${api.status?.id ?? 'unknown'}) may remain in APIM`;
  let resolved: ContextObject = { metadata: { namespace, name: ref.name }, spec: {} };
  try {
    if (found) resolved = compiledContext(found, context.cache, context.settings.templating).context;
  } catch (error) {
    if (!(error instanceof MissingReferenceError)) throw error;
  }
  try {
    return context.apim(resolved, { lastKnown: true });
  } catch (error) {
    if (error instanceof ContextError)
      return found
        ? `${error.message}: ${remains}`
        : `ManagementContext ${namespace}/${ref.name} is gone, so APIM cannot be reached: ${remains}`;
    throw error;
  }
}

interface ApiObject extends SyncedObject {
  spec: {
    contextRef?: { name: string; namespace?: string };
    groupRefs?: { name: string; namespace?: string }[];
    notificationsRefs?: { name: string; namespace?: string }[];
  };
}

export interface ApiInputs<T> {
  context?: ResolvedContext;
  /** The API and what it refers to as written (template markers, not values): for the fingerprint. */
  written: { api: T; refs: ApiReferences };
  /** The same with templates compiled: for what is sent. */
  compiled: { api: T; refs: ApiReferences; missingGroups: string[] };
  /** Versions of the Secrets and ConfigMaps read (the API's templates and its resources'). */
  sources: SourceVersion[];
  /** Values taken from Secrets, to keep out of messages. */
  secrets: string[];
}

/** What both API kinds need to plan a synchronisation: context, references and templates, twice. */
export function apiInputs<T extends ApiObject>(object: T, context: ReconcileContext): ApiInputs<T> {
  const { cache, settings } = context;
  const namespace = object.metadata.namespace ?? 'default';
  const resolvedContext = object.spec.contextRef
    ? referencedContext(object.spec.contextRef, namespace, 'spec.contextRef', cache, settings.templating)
    : undefined;
  const written = resolveApiReferences(object, cache, { compile: false, templating: settings.templating });
  const { spec, sources, secrets } = compileSpec(namespace, object.spec, cache, settings.templating);
  const api = { ...object, spec } as T;
  const compiled = resolveApiReferences(api, cache, { compile: true, templating: settings.templating });
  return {
    ...(resolvedContext ? { context: resolvedContext } : {}),
    written: { api: object, refs: written.refs },
    compiled: { api, refs: compiled.refs, missingGroups: compiled.missingGroups },
    sources: [...sources, ...compiled.sources],
    secrets: [...secrets, ...compiled.secrets],
  };
}
