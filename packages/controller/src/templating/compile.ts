// [[ secret `name/key` ]] and [[ configmap `name/key` ]] markers replaced at sync time, from the
// cached Secrets and ConfigMaps of the object's own namespace. What the compiled spec was made from is
// returned as versions (never values), so that a hash of it moves when a source changes without a
// secret value ever entering a hash, a log line or a message.
import { compileTemplates, templateReferences } from '@gko/api';
import { objectData } from '@gko/kube';
import { InvalidSpecError, MissingReferenceError } from '../reconcile/errors.ts';
import type { CacheReader } from '../reconcile/contract.ts';

export interface SourceVersion {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  resourceVersion: string;
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
    sources.set(`${kind}/${ref.name}`, {
      kind,
      name: ref.name,
      resourceVersion: object.metadata?.resourceVersion ?? '',
    });
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
