// A context as the objects that use it need it: found in the cache, its templates compiled in its
// own namespace, and a fingerprint that moves when its spec or the Secrets it reads change (so that
// its users are synchronised again with the new URL or credentials).
import { resolveReference, type ManagementContext, type ObjectReference } from '@gko/api';
import { ContextError, type ApimClient, type ContextObject } from '@gko/mapi';
import { InvalidSpecError, MissingReferenceError } from '../reconcile/errors.ts';
import type { CacheReader, ReconcileContext } from '../reconcile/contract.ts';
import { compileSpec, sourceVersion, type SourceVersion } from '../templating/compile.ts';

export interface ResolvedContext {
  /** The context with its templates compiled, ready to make an APIM client from. */
  context: ManagementContext;
  fingerprint: { context: string; generation?: number; sources: SourceVersion[] };
}

/** The Secrets a context's credentials come from (not its templates). */
export function contextSecretNames(context: ManagementContext): string[] {
  const namespace = context.metadata.namespace ?? 'default';
  return [context.spec.auth?.secretRef, context.spec.cloud?.secretRef]
    .filter((ref): ref is ObjectReference => !!ref)
    .map((ref) => {
      const resolved = resolveReference(ref, namespace);
      return `${resolved.namespace}/${resolved.name}`;
    });
}

export function compiledContext(context: ManagementContext, cache: CacheReader, templating: boolean): ResolvedContext {
  const namespace = context.metadata.namespace ?? 'default';
  const { spec, sources } = compileSpec(namespace, context.spec, cache, templating);
  const secretVersions = contextSecretNames(context).map((key): SourceVersion => {
    const [ns = '', name = ''] = key.split('/');
    return sourceVersion('Secret', key, cache.get('Secret', ns, name));
  });
  return {
    context: { ...context, spec },
    fingerprint: {
      context: `${namespace}/${context.metadata.name}`,
      generation: context.metadata.generation,
      sources: [...sources, ...secretVersions],
    },
  };
}

/** The context an object refers to; missing → a MissingReferenceError naming it. */
export function referencedContext(
  ref: ObjectReference,
  referrerNamespace: string,
  field: string,
  cache: CacheReader,
  templating: boolean,
): ResolvedContext {
  const { namespace, name } = resolveReference(ref, referrerNamespace);
  const context = cache.get('ManagementContext', namespace, name) as ManagementContext | undefined;
  if (!context) throw new MissingReferenceError(field, 'ManagementContext', namespace, name);
  return compiledContext(context, cache, templating);
}

interface WithContext {
  kind?: string;
  metadata: { namespace?: string; name?: string };
  spec: { contextRef?: ObjectReference };
  status?: { id?: string };
}

/** The context of an object synchronised with APIM, which cannot be synchronised without one. */
export function requiredContext(object: WithContext, context: ReconcileContext): ResolvedContext {
  const ref = object.spec.contextRef;
  if (!ref)
    throw new InvalidSpecError(
      'NoContext',
      `spec.contextRef: ${object.kind} ${object.metadata.namespace}/${object.metadata.name} is synchronised with APIM, which it reaches through a ManagementContext: set contextRef`,
    );
  const namespace = object.metadata.namespace ?? 'default';
  return referencedContext(ref, namespace, 'spec.contextRef', context.cache, context.settings.templating);
}

/**
 * The client to delete an object from APIM with, through the context of its holder (itself, or the
 * API of a subscription). A context (or the Secret holding its credentials)
 * deleted first, as when a whole namespace goes, falls back to the credentials this process last
 * used for it. Without them, holding the finalizer would hold the namespace forever: the object is
 * released with a warning saying what may remain in APIM.
 */
export function clientForDelete(
  holder: WithContext,
  context: ReconcileContext,
  deleted: Pick<WithContext, 'kind' | 'metadata' | 'status'> = holder,
): ApimClient | string {
  const ref = holder.spec.contextRef!;
  const namespace = ref.namespace || holder.metadata.namespace || 'default';
  const found = context.cache.get('ManagementContext', namespace, ref.name) as ManagementContext | undefined;
  const remains = `${deleted.kind} ${deleted.metadata.namespace}/${deleted.metadata.name} (status.id ${deleted.status?.id ?? 'unknown'}) may remain in APIM`;
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
