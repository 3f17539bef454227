// What an API refers to, read from the cache for the mappings of @gko/mapi: ApiResources (their
// templates compiled in their own namespace), shared policy groups, groups and notifications. Built
// twice per plan: with templates compiled, for the request; without, for the fingerprint, so that no
// secret value ever reaches a hash.
import type { ApiResource, ObjectReference } from '@gko/api';
import { apiReferences, type ApiReferences } from '@gko/mapi';
import type { CacheReader } from '../reconcile/contract.ts';
import { compileSpec, type SourceVersion } from '../templating/compile.ts';
import { missingGroups } from './missing-groups.ts';

interface ApiLike {
  metadata: { namespace?: string };
  spec: { groupRefs?: ObjectReference[]; notificationsRefs?: ObjectReference[] };
}

export interface ResolvedApiReferences {
  refs: ApiReferences;
  /** Secrets and ConfigMaps read by the templates of the referenced ApiResources. */
  sources: SourceVersion[];
  /** Values those templates took from Secrets, to keep out of messages. */
  secrets: string[];
  /** groupRefs naming no Group: APIM gets the API without them (as upstream), ResolvedRefs says so. */
  missingGroups: string[];
}

export function resolveApiReferences(
  api: ApiLike,
  cache: CacheReader,
  options: { compile: boolean; templating: boolean },
): ResolvedApiReferences {
  const sources: SourceVersion[] = [];
  const secrets: string[] = [];
  const lookup = (kind: string, namespace: string, name: string): unknown => {
    const found = cache.get(kind, namespace, name);
    if (!found || kind !== 'ApiResource') return found;
    // Compiling also checks the sources and gives their versions, which the fingerprint needs.
    const resource = found as ApiResource;
    const compiled = compileSpec(namespace, resource.spec, cache, options.templating);
    sources.push(...compiled.sources.map((s) => ({ ...s, name: `${namespace}/${s.name}` })));
    secrets.push(...compiled.secrets);
    return options.compile ? { ...resource, spec: compiled.spec } : resource;
  };
  const refs = apiReferences(api, lookup);
  const missing = missingGroups(api.spec.groupRefs, api.metadata.namespace ?? 'default', cache);
  return { refs, sources, secrets, missingGroups: missing };
}
