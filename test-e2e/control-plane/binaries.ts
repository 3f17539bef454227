// Where the control-plane binaries of the current module state live, outside the repository.
//
// The directory name carries the Kubernetes version, the Go version and a hash of everything that
// goes into the build, so a changed go.mod, main package or toolchain gets a fresh build while an
// unchanged one is reused by every later run on the machine.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { parseOwnGoMod } from './go-mod.ts';
import { goVersion, moduleDir } from './go-tool.ts';

export const BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kubectl'] as const;
export type BinaryName = (typeof BINARIES)[number];

export const STAMP_FILE = 'stamp.json';

/** Shared with .ci/toolchain.sh: GKO_CACHE_DIR, else $XDG_CACHE_HOME/gko-operator, else ~/.cache/gko-operator. */
export function cacheRoot(): string {
  return (
    process.env['GKO_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'gko-operator')
  );
}

export interface BuildIdentity {
  kubernetesVersion: string;
  goVersion: string;
  sourceHash: string;
  dir: string;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.go') || entry.name === 'go.mod' || entry.name === 'go.sum') out.push(path);
  }
  return out.sort();
}

export async function buildIdentity(): Promise<BuildIdentity> {
  const goMod = await readFile(join(moduleDir, 'go.mod'), 'utf8');
  const { kubernetesVersion } = parseOwnGoMod(goMod);
  const version = await goVersion();
  const hash = createHash('sha256');
  for (const file of await sourceFiles(moduleDir)) {
    hash
      .update(relative(moduleDir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  const sourceHash = hash.digest('hex').slice(0, 12);
  const dir = join(cacheRoot(), 'control-plane', `${kubernetesVersion}-${version}-${sourceHash}`);
  return { kubernetesVersion, goVersion: version, sourceHash, dir };
}

export type ControlPlaneBinaries = Record<BinaryName, string> & { kubernetesVersion: string };

/** The built binaries for the current sources; fails with instructions when they are not built yet. */
export async function controlPlaneBinaries(): Promise<ControlPlaneBinaries> {
  const identity = await buildIdentity();
  if (!existsSync(join(identity.dir, STAMP_FILE))) {
    throw new Error(
      `control-plane binaries for Kubernetes ${identity.kubernetesVersion} are not built (${identity.dir}); ` +
        'run `node test-e2e/control-plane/build.ts` (pnpm test does it for you)',
    );
  }
  const paths = Object.fromEntries(BINARIES.map((name) => [name, join(identity.dir, name)])) as Record<
    BinaryName,
    string
  >;
  return { ...paths, kubernetesVersion: identity.kubernetesVersion };
}
