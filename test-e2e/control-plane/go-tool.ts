// Runs the machine's Go toolchain with the settings every module of ours is built with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The control-plane module; the default working directory of go(). */
export const moduleDir = import.meta.dirname;

/** GOTOOLCHAIN=local: never download another toolchain; the installed Go must satisfy go.mod. */
export function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -buildvcs=false', ...extra };
}

export async function go(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  const { stdout } = await run('go', args, {
    cwd: options.cwd ?? moduleDir,
    env: goEnv(options.env),
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

let version: Promise<string> | undefined;

/** The installed Go's version, e.g. go1.26.8 (asked once per process). */
export function goVersion(): Promise<string> {
  version ??= go(['env', 'GOVERSION']).then((out) => out.trim());
  return version;
}

interface DownloadInfo {
  Dir?: string;
  GoMod?: string;
  Error?: string;
}

async function download(target: string, cwd?: string): Promise<DownloadInfo> {
  const info = JSON.parse(await go(['mod', 'download', '-json', target], cwd ? { cwd } : {})) as DownloadInfo;
  if (info.Error) throw new Error(`go mod download ${target}: ${info.Error}`);
  return info;
}

/** Downloads (or finds in the module cache) a module and returns the path of its go.mod file. */
export async function downloadedGoMod(module: string, version: string): Promise<string> {
  const { GoMod } = await download(`${module}@${version}`);
  if (!GoMod) throw new Error(`go mod download ${module}@${version}: no go.mod`);
  return GoMod;
}

/**
 * The source folder, in the module cache, of a dependency of the module in `cwd`, at the version
 * that module's go.mod selects (downloaded when missing; verified against its go.sum).
 */
export async function dependencySourceDir(cwd: string, module: string): Promise<string> {
  const { Dir } = await download(module, cwd);
  if (!Dir) throw new Error(`go mod download ${module} (in ${cwd}): no source folder`);
  return Dir;
}
