// What the two API kinds share beyond the skeleton: upstream's finalizer name (so that objects it
// created are handled, and released, by this operator), who holds an API, and what a plan reads.
import { dependencyKey, objectDependencies } from '@gko/api';
import type { CacheReader, ReconcileContext } from '../reconcile/contract.ts';
import { usersOf } from '../dependencies/users.ts';
import { referencedContext, type ResolvedContext } from './context.ts';
import { resolveApiReferences } from './api-references.ts';
import { compileSpec, type SourceVersion } from '../templating/compile.ts';
import type { ApiReferences } from '@gko/mapi';
import type { SyncedObject } from './synchronizer.ts';

export const API_FINALIZER = 'finalizers.gravitee.io/apidefinitiondeletion';

/** Subscriptions still pointing at the API: it stays in APIM (and in the cluster) until they are closed. */
export function apiUsers(context: ReconcileContext, api: SyncedObject): string[] {
  // Subscriptions, and the portal objects that list or document the API (v4 only name it).
  return usersOf(context.cache, api).filter((user) => /^(Subscription|PortalListing|Documentation) /.test(user));
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
  /**
   * The generations of the Groups and SharedPolicyGroups the API names. APIM's copy refers to them by
   * name or id only, but a change of one re-synchronises the API, as upstream's operator does.
   */
  referenced: string[];
}

const RESYNCED_BY = new Set(['Group', 'SharedPolicyGroup']);

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
    referenced: referencedVersions(object, cache),
  };
}

/**
 * The Groups and SharedPolicyGroups an API names, directly or through its Notifications, each with
 * its generation and APIM id: APIM drops a group it does not know yet, so the API is sent again once
 * the group exists there.
 */
function referencedVersions(api: ApiObject, cache: CacheReader): string[] {
  const named = objectDependencies(api);
  const throughNotifications = named
    .filter((d) => d.kind === 'Notification')
    .flatMap((d) => {
      const notification = cache.get(d.kind, d.namespace, d.name);
      return notification ? objectDependencies(notification) : [];
    });
  const versions = [...named, ...throughNotifications]
    .filter((d) => RESYNCED_BY.has(d.kind))
    .map((d) => {
      const found = cache.get(d.kind, d.namespace, d.name);
      const id = (found as { status?: { id?: string } } | undefined)?.status?.id ?? '';
      return `${dependencyKey(d)}@${found?.metadata?.generation ?? 'missing'}/${id}`;
    });
  return [...new Set(versions)].sort();
}
