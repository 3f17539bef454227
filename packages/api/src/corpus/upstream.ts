// The upstream operator's CRDs and example manifests, kept as reference data next to the repository
// (../shared/reference/gko, or $GKO_REFERENCE_DIR). Tests that need them say so and skip without them.
import { existsSync, globSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KINDS } from '../registry.ts';

export function upstreamReferenceDir(): string | undefined {
  const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
  const dir = process.env['GKO_REFERENCE_DIR'] ?? join(repoRoot, '..', 'shared', 'reference', 'gko');
  return existsSync(join(dir, 'examples')) && existsSync(join(dir, 'crds')) ? dir : undefined;
}

export interface UpstreamExample {
  /** Path under examples/, e.g. apim/api_definition/v4/api-v4.yml. */
  file: string;
  object: Record<string, unknown>;
}

/** Upstream examples that are invalid on purpose for the schema, with the field at fault. */
export const UPSTREAM_INVALID_EXAMPLES: Record<string, string> = {
  // The plan is left out; upstream's own tests set it in code.
  'apim/subscription/subscription-with-metadata.yml': 'spec.plan',
};

/** Every object of one of our kinds in the upstream examples (other kinds are left out). */
export function upstreamExamples(dir: string): UpstreamExample[] {
  const ours = new Set<string>(KINDS.map((k) => k.kind));
  const examples: UpstreamExample[] = [];
  for (const path of globSync(join(dir, 'examples', '**', '*.{yml,yaml}')).sort()) {
    for (const document of parseAllDocuments(readFileSync(path, 'utf8'))) {
      const object = document.toJS() as Record<string, unknown> | null;
      if (object && object['apiVersion'] === 'gravitee.io/v1alpha1' && ours.has(String(object['kind']))) {
        examples.push({ file: relative(join(dir, 'examples'), path), object });
      }
    }
  }
  return examples;
}

/** The upstream CRD of each of our kinds, by kind. */
export function upstreamCrds(dir: string): Map<string, Record<string, unknown>> {
  const crds = new Map<string, Record<string, unknown>>();
  for (const kind of KINDS) {
    const path = join(dir, 'crds', 'gravitee.io', `gravitee.io_${kind.plural}.yaml`);
    if (existsSync(path))
      crds.set(kind.kind, parseAllDocuments(readFileSync(path, 'utf8'))[0]!.toJS() as Record<string, unknown>);
  }
  return crds;
}
