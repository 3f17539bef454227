// A context as the objects that use it need it: found in the cache, its templates compiled in its
// own namespace, and a fingerprint that moves when its spec or the Secrets it reads change (so that
// its users are synchronised again with the new URL or credentials).
import { resolveReference, type ManagementContext, type ObjectReference } from '@gko/api';
import { MissingReferenceError } from '../reconcile/errors.ts';
import type { CacheReader } from '../reconcile/contract.ts';
import { compileSpec, type SourceVersion } from '../templating/compile.ts';

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
    return {
      kind: 'Secret',
      name: key,
      resourceVersion: cache.get('Secret', ns, name)?.metadata?.resourceVersion ?? 'missing',
    };
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
