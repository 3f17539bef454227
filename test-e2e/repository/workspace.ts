import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './tools.ts';

export interface Manifest {
  name: string;
  dir: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const read = (dir: string): Manifest => ({
  ...(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Omit<Manifest, 'dir'>),
  dir,
});

/** The root manifest and every workspace package's, as listed by pnpm-workspace.yaml. */
export function manifests(): Manifest[] {
  const workspace = parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as { packages: string[] };
  const dirs = workspace.packages.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(join(repoRoot, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(repoRoot, pattern.slice(0, -2), e.name))
      : [join(repoRoot, pattern)],
  );
  return [read(repoRoot), ...dirs.map(read)];
}

export function catalog(): Record<string, string> {
  return (parse(readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as { catalog: Record<string, string> })
    .catalog;
}
