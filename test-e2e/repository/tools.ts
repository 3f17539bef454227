// Runs the repository's own tools (from node_modules, on the Node running the tests).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..', '..');
const require = createRequire(join(repoRoot, 'package.json'));

/** The JavaScript entry of a package's command, e.g. bin('typescript', 'tsc'). */
export function bin(pkg: string, command: string): string {
  const manifestPath = require.resolve(`${pkg}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: string | Record<string, string> };
  const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[command];
  if (!relative) throw new Error(`${pkg} has no command ${command}`);
  return join(dirname(manifestPath), relative);
}

export interface Outcome {
  code: number;
  output: string;
}

export function runNode(script: string, args: string[], cwd = repoRoot): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
        output: `${stdout}${stderr}`.trim(),
      });
    });
  });
}
