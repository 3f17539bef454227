// How the harness runs a program: from its TypeScript sources (what the tests exercise), or built as
// JavaScript (what ships: see packages/operator/scripts/build-js.ts), which must then be built first.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './resources.ts';

export type ProgramForm = 'typescript' | 'javascript';

/** The node arguments that start the main module of a package's program. */
export function programArgs(pkg: 'webhook' | 'operator', form: ProgramForm = 'typescript'): string[] {
  return form === 'javascript'
    ? ['--conditions=gko-js', join(repoRoot, 'packages', pkg, 'dist', 'main.js')]
    : [join(repoRoot, 'packages', pkg, 'src', 'main.ts')];
}

/** Builds every package as JavaScript (a second or two). */
export async function buildJavaScript(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(repoRoot, 'packages', 'operator', 'scripts', 'build-js.ts')]);
}
