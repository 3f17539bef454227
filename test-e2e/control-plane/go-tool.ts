// Runs the machine's Go toolchain with the settings this module is built with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const moduleDir = import.meta.dirname;

/** GOTOOLCHAIN=local: never download another toolchain; the installed Go must satisfy go.mod. */
export function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -buildvcs=false', ...extra };
}

export async function go(args: string[], options: { env?: Record<string, string> } = {}): Promise<string> {
  const { stdout } = await run('go', args, {
    cwd: moduleDir,
    env: goEnv(options.env),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export async function goVersion(): Promise<string> {
  return (await go(['env', 'GOVERSION'])).trim();
}

/** Downloads (or finds in the module cache) a module and returns the path of its go.mod file. */
export async function downloadedGoMod(module: string, version: string): Promise<string> {
  const out = JSON.parse(await go(['mod', 'download', '-json', `${module}@${version}`])) as {
    GoMod?: string;
    Error?: string;
  };
  if (out.Error || !out.GoMod) throw new Error(`go mod download ${module}@${version}: ${out.Error ?? 'no go.mod'}`);
  return out.GoMod;
}
