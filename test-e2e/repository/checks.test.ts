// The repository's own checks, run as tests so that CI counts them with everything else.
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, repoRoot, runNode } from './tools.ts';
import { catalog, manifests } from './workspace.ts';

describe('the repository', () => {
  it('type-checks as one project', async () => {
    const result = await runNode(bin('typescript', 'tsc'), ['-p', 'tsconfig.json']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('passes the linter', async () => {
    const result = await runNode(bin('eslint', 'eslint'), ['--max-warnings=0', '.']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('is formatted', async () => {
    const result = await runNode(bin('prettier', 'prettier'), ['--check', '--log-level=warn', '.']);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('uses one version of each dependency, from the catalog, and only catalogued ones', () => {
    const versions = catalog();
    const problems: string[] = [];
    const used = new Set<string>();
    for (const manifest of manifests()) {
      for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
        if (spec === 'workspace:*') continue;
        used.add(name);
        if (spec !== 'catalog:') problems.push(`${manifest.name}: ${name}@${spec} does not come from the catalog`);
        else if (!(name in versions)) problems.push(`${manifest.name}: ${name} is not in the catalog`);
      }
    }
    for (const name of Object.keys(versions)) if (!used.has(name)) problems.push(`catalog entry ${name} is unused`);
    expect(problems).toEqual([]);
  });
});

describe('generated files', () => {
  const generators = manifests().filter((m) => m.scripts?.['generate'] && m.dir !== repoRoot);

  it.each(generators.map((m) => [m.name, m] as const))('of %s are up to date', async (_name, manifest) => {
    const command = /^node (\S+\.ts)$/.exec(manifest.scripts?.['generate'] ?? '');
    expect(command, `${manifest.name}: the generate script must be "node <script>.ts"`).not.toBeNull();
    const result = await runNode(command![1]!, ['--check'], manifest.dir);
    expect(result.output, `in ${relative(repoRoot, manifest.dir)}`).toBe('');
    expect(result.code).toBe(0);
  });
});
