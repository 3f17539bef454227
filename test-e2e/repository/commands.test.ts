// The gko commands as a user runs them from a clone: `npm run validate -- PATH`, which sets up the
// toolchain on first use and reads paths from where the command was typed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './tools.ts';

const EXAMPLES = join(repoRoot, 'packages', 'api', 'examples');

function npm(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['--prefix', repoRoot, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run validate', () => {
  it('checks the paths given, relative to where it is typed, and exits 0 when all would be admitted', async () => {
    const run = await npm(['run', '--silent', 'validate', '--', '.'], EXAMPLES);
    expect(run.stderr).toMatch(/\d+ objects checked: 0 refused, 0 errors, 0 warnings\n$/);
    expect(run.code).toBe(0);
  });

  it('writes nothing but its report on standard output, for programs to read', async () => {
    const run = await npm(['run', '--silent', 'validate', '--', '-o', 'json', 'group'], EXAMPLES);
    const report = JSON.parse(run.stdout) as { objects: { kind: string; allowed: boolean }[] };
    expect(report.objects).toEqual([expect.objectContaining({ kind: 'Group', allowed: false })]);
    expect(run.code).toBe(1);
  });
});
