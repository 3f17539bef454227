// The example manifests of packages/api/examples: documentation, test fixtures and demo content.
import { globSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', 'examples');

export interface ExampleFile {
  /** Path under examples/, e.g. api-v4-definition/proxy.yaml. */
  file: string;
  /** Every document of the file, in order (Secrets and ConfigMaps included). */
  objects: Record<string, unknown>[];
}

export function examples(): ExampleFile[] {
  return globSync(join(EXAMPLES_DIR, '**', '*.yaml'))
    .sort()
    .map((path) => ({
      file: relative(EXAMPLES_DIR, path),
      objects: parseAllDocuments(readFileSync(path, 'utf8'))
        .map((d) => d.toJS() as Record<string, unknown> | null)
        .filter((o): o is Record<string, unknown> => o !== null),
    }));
}
