// [[ secret `name/key` ]] and [[ configmap `name/key` ]] markers replaced at sync time, from the
// cached Secrets and ConfigMaps of the object's own namespace. What the compiled spec was made from is
// returned as digests of the sources' content (never values), so that a hash of it moves when a
// source's data changes, and only then, without a secret value ever entering a hash, a log line or a
// message.
import { READ_GRANT_ANNOTATION, compileTemplates, templateReferences } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { DataNotLoadedError, isWithoutData, objectData } from '@gko/kube';
import { stableHash } from '@gko/runtime';
import { InvalidSpecError, MissingReferenceError } from '../reconcile/errors.ts';
import type { CacheReader } from '../reconcile/contract.ts';

export interface SourceVersion {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** A digest of what is read of the source: a label, or a new resourceVersion alone, moves nothing. */
  content: string;
}

/**
 * What is read of a Secret or ConfigMap, as a digest: its data and the namespaces it lets read it.
 * Salted with the object's uid, which only those who may read the object know: the digest (and the
 * syncHash it goes into) cannot be used to test guesses of a value offline.
 */
export function sourceVersion(kind: SourceVersion['kind'], name: string, object: KubernetesObject | undefined) {
  // A fingerprint of data the cache does not hold would be a fingerprint of nothing.
  if (object && isWithoutData(object)) throw new DataNotLoadedError(object);
  const { data, binaryData } = (object ?? {}) as { data?: unknown; binaryData?: unknown };
  const grant = object?.metadata?.annotations?.[READ_GRANT_ANNOTATION];
  const uid = object?.metadata?.uid;
  const content = object ? stableHash({ uid, data: data ?? {}, binaryData: binaryData ?? {}, grant }) : 'missing';
  return { kind, name, content } satisfies SourceVersion;
}

const KIND = { secret: 'Secret', configmap: 'ConfigMap' } as const;

export function compileSpec<T>(
  namespace: string,
  spec: T,
  cache: CacheReader,
  enabled: boolean,
): { spec: T; sources: SourceVersion[]; secrets: string[] } {
  if (!enabled) return { spec, sources: [], secrets: [] };
  const { references, problems } = templateReferences(spec);
  if (problems.length > 0)
    throw new InvalidSpecError('CompileTemplateError', problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  if (references.length === 0) return { spec, sources: [], secrets: [] };
  const sources = new Map<string, SourceVersion>();
  for (const ref of references) {
    const kind = KIND[ref.source];
    const object = cache.get(kind, namespace, ref.name);
    if (!object) throw new MissingReferenceError(ref.path, kind, namespace, ref.name);
    sources.set(`${kind}/${ref.name}`, sourceVersion(kind, ref.name, object));
  }
  // The values taken from Secrets are returned so that messages can be cleaned of them.
  const secrets: string[] = [];
  const compiled = compileTemplates(spec, (ref) => {
    const value = objectData(cache.get(KIND[ref.source], namespace, ref.name))?.[ref.key];
    if (value && ref.source === 'secret') secrets.push(value);
    return value;
  });
  const missing = compiled.missing[0];
  if (missing)
    throw new MissingReferenceError(
      missing.path,
      KIND[missing.source],
      namespace,
      missing.name,
      `has no value for the key ${missing.key}`,
    );
  return {
    spec: compiled.value,
    secrets,
    sources: [...sources.values()].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`)),
  };
}

/** The Secrets and ConfigMaps a spec's templates name, as "Kind/namespace/name" (for the dependency index). */
export function templateSourceKeys(namespace: string, spec: unknown): string[] {
  return [...new Set(templateReferences(spec).references.map((r) => `${KIND[r.source]}/${namespace}/${r.name}`))];
}
