// Programs built from a Go module of ours, kept outside the repository in a folder of the cache
// named by what went into them: <cache>/<name>/<version>-<go version>-<source hash>/.
//
// A changed go.mod, go.sum, main package or toolchain therefore gets a fresh build, while an unchanged
// one is reused by every later run on the machine. A build happens behind a cross-process lock, into
// a staging folder that is renamed into place with a stamp file only once it is complete, so a
// killed build is never mistaken for a finished one. The control plane and every cluster tool are
// built this way (see build.ts).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { goVersion } from './go-tool.ts';
import { acquireDirLock } from './lock.ts';

export const STAMP_FILE = 'stamp.json';

// Builds of other module states are kept this long after their last use, then deleted.
const KEEP_UNUSED_BUILDS_MS = 14 * 24 * 60 * 60 * 1000;

/** Shared with .ci/toolchain.sh: GKO_CACHE_DIR, else $XDG_CACHE_HOME/gko-operator, else ~/.cache/gko-operator. */
export function cacheRoot(): string {
  return (
    process.env['GKO_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'gko-operator')
  );
}

export interface CachedBuildIdentity {
  /** What is built, as a path under the cache root: "control-plane", "cluster-tools/helm". */
  name: string;
  /** The version of the upstream software, e.g. v1.36.4. */
  version: string;
  goVersion: string;
  sourceHash: string;
  /** Where the finished build lives. */
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

/** A short hash of every Go source, go.mod and go.sum of the module, with their relative paths. */
export async function sourceHash(moduleDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles(moduleDir)) {
    hash
      .update(relative(moduleDir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

export async function cachedBuildIdentity(
  name: string,
  moduleDir: string,
  version: string,
): Promise<CachedBuildIdentity> {
  const go = await goVersion();
  const hash = await sourceHash(moduleDir);
  return { name, version, goVersion: go, sourceHash: hash, dir: join(cacheRoot(), name, `${version}-${go}-${hash}`) };
}

export function isBuilt(identity: CachedBuildIdentity): boolean {
  return existsSync(join(identity.dir, STAMP_FILE));
}

/** Fails with instructions when the build is missing, so a test run says what to do. */
export function requireBuilt(identity: CachedBuildIdentity, what: string): void {
  if (!isBuilt(identity)) {
    throw new Error(
      `${what} ${identity.version} is not built (${identity.dir}); ` +
        'run `node test-e2e/control-plane/build.ts` (pnpm test does it for you)',
    );
  }
}

export interface BuildSteps {
  /** Names the build in progress lines, e.g. "control plane". */
  label: string;
  /** What is built, e.g. "Kubernetes": "building Kubernetes v1.36.4 with go1.26.8". */
  product: string;
  /** What a first build costs, shown before it starts, e.g. "about 2 minutes on 2 cores". */
  firstTimeCost: string;
  /** Builds into `staging`, an empty folder, and checks the result; throws when anything is wrong. */
  build(staging: string): Promise<void>;
}

/** Builds unless a finished build is there already (possibly finished by another process meanwhile). */
export async function ensureBuilt(identity: CachedBuildIdentity, steps: BuildSteps): Promise<void> {
  if (isBuilt(identity)) return;
  await mkdir(dirname(identity.dir), { recursive: true });
  const release = await acquireDirLock(`${identity.dir}.lock`);
  try {
    if (isBuilt(identity)) return;
    const started = Date.now();
    console.error(
      `${steps.label}: building ${steps.product} ${identity.version} with ${identity.goVersion} (first time on this machine: ` +
        `${steps.firstTimeCost}, more with a cold Go module cache; cached afterwards in ${identity.dir})`,
    );
    const staging = `${identity.dir}.partial`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    await steps.build(staging);
    const seconds = Math.round((Date.now() - started) / 1000);
    await writeFile(join(staging, STAMP_FILE), JSON.stringify({ ...identity, builtInSeconds: seconds }, null, 2));
    await rm(identity.dir, { recursive: true, force: true });
    await rename(staging, identity.dir);
    console.error(`${steps.label}: built in ${seconds}s`);
  } finally {
    await release();
  }
}

/** Marks this build as used and removes builds of other module states that have not been used lately. */
export async function pruneUnusedBuilds(identity: CachedBuildIdentity): Promise<void> {
  const current = identity.dir;
  const now = new Date();
  await utimes(join(current, STAMP_FILE), now, now);
  const parent = dirname(current);
  for (const name of await readdir(parent)) {
    const dir = join(parent, name);
    if (dir === current || name.endsWith('.lock') || dir === `${current}.partial`) continue;
    // A finished build counts as used when its stamp was last touched; an abandoned one, when last written.
    const lastUse = await stat(join(dir, STAMP_FILE))
      .catch(() => stat(dir))
      .then((s) => s.mtimeMs);
    if (now.getTime() - lastUse > KEEP_UNUSED_BUILDS_MS) await rm(dir, { recursive: true, force: true });
  }
}
