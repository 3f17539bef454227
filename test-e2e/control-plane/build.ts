// Builds etcd, kube-apiserver, kube-controller-manager and kubectl from Go modules, once per
// module state and Go version, into the cache directory named by binaries.ts.
// Usage: node test-e2e/control-plane/build.ts
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { BINARIES, STAMP_FILE, buildIdentity } from './binaries.ts';
import { go } from './go-tool.ts';
import { acquireDirLock } from './lock.ts';

const run = promisify(execFile);

// Builds of other module states are kept this long after their last use, then deleted.
const KEEP_UNUSED_BUILDS_MS = 14 * 24 * 60 * 60 * 1000;

/** Stamps the version the way release builds do, so /version and `kubectl version` tell the truth. */
function versionLdflags(kubernetesVersion: string): string {
  const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(kubernetesVersion) ?? [];
  if (!major || !minor) throw new Error(`cannot stamp version ${kubernetesVersion}`);
  const vars = { gitVersion: kubernetesVersion, gitMajor: major, gitMinor: minor, gitTreeState: 'clean' };
  const flags = ['-s', '-w'];
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    for (const [name, value] of Object.entries(vars)) flags.push(`-X ${pkg}.${name}=${value}`);
  }
  return flags.join(' ');
}

const identity = await buildIdentity();
const stamp = join(identity.dir, STAMP_FILE);

if (!existsSync(stamp)) {
  await mkdir(join(identity.dir, '..'), { recursive: true });
  const release = await acquireDirLock(`${identity.dir}.lock`);
  try {
    if (!existsSync(stamp)) {
      const started = Date.now();
      console.error(
        `control plane: building Kubernetes ${identity.kubernetesVersion} with ${identity.goVersion} ` +
          `(first time on this machine: about 5 minutes on 2 cores, more with a cold Go module cache; cached afterwards in ${identity.dir})`,
      );
      const staging = `${identity.dir}.partial`;
      await rm(staging, { recursive: true, force: true });
      await go(
        [
          'build',
          '-trimpath',
          '-ldflags',
          versionLdflags(identity.kubernetesVersion),
          '-o',
          `${staging}/`,
          './cmd/...',
        ],
        {
          env: { CGO_ENABLED: '0' },
        },
      );
      for (const name of BINARIES) {
        const { stdout } = await run(join(staging, name), name === 'kubectl' ? ['version', '--client'] : ['--version']);
        if (!stdout.includes(identity.kubernetesVersion) && !(name === 'etcd' && stdout.includes('etcd Version'))) {
          throw new Error(`${name} reports an unexpected version: ${stdout.trim()}`);
        }
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      await writeFile(join(staging, STAMP_FILE), JSON.stringify({ ...identity, builtInSeconds: seconds }, null, 2));
      await rm(identity.dir, { recursive: true, force: true });
      await rename(staging, identity.dir);
      console.error(`control plane: built in ${seconds}s`);
    }
  } finally {
    await release();
  }
}
/** Marks this build as used and removes builds of other module states that have not been used lately. */
async function pruneUnusedBuilds(current: string): Promise<void> {
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

await pruneUnusedBuilds(identity.dir);
console.error(`control plane: Kubernetes ${identity.kubernetesVersion} binaries in ${identity.dir}`);
