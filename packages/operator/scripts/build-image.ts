// Builds the operator's OCI image without Docker: a base layer of the C libraries Node links against
// (from Debian packages) and the Node 24 binary the workspace runs on, and an application layer with
// the bundled program (see bundle.ts). It runs as a non-root user, with the program as entry point.
// Writes an OCI layout and a docker-archive tarball (for `ctr images import` or `docker load`).
//   node packages/operator/scripts/build-image.ts [outDir]
// Needs umoci, skopeo, strip, dpkg-deb and apt-get (.ci/system-packages.sh installs them).
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RECOMMENDED_NODE_OPTIONS } from '../src/node-options.ts';
import { bundleOperator } from './bundle.ts';
import { assembleImage } from './oci-image.ts';

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const repoRoot = join(packageDir, '..', '..');

export const IMAGE_NAME = 'gko-operator';
/** The user the program runs as: not root, and not a user the base could already have. */
export const IMAGE_USER = 65532;
/** Libraries the Node binary links against (ldd): glibc, libstdc++ and libgcc_s. */
const BASE_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1'];
/** Parts of those packages that a Node program never uses. */
const PRUNED = ['usr/share', 'usr/lib/x86_64-linux-gnu/gconv', 'usr/lib/gcc', 'etc/ld.so.conf.d', 'usr/bin', 'sbin'];

export interface BuiltImage {
  reference: string;
  ociLayout: string;
  dockerArchive: string;
  /** Sum of the compressed layers: what a registry stores and a node pulls. */
  compressedBytes: number;
  /** Size of the unpacked root filesystem. */
  unpackedBytes: number;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The Node the workspace pins (pnpm-workspace.yaml's catalog): the one running this script. */
async function pinnedNode(): Promise<string> {
  const workspace = await readFile(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const pinned = /^\s+node:\s*(\S+)/m.exec(workspace)?.[1];
  if (`v${pinned}` !== process.version)
    throw new Error(
      `the image takes the Node running this script (${process.version}), but the workspace pins ${pinned}`,
    );
  return process.execPath;
}

async function downloadDebs(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const download = () => run('apt-get', ['download', ...BASE_PACKAGES], { cwd: dir });
  // A fresh machine may not have package lists yet.
  await download().catch(async () => {
    await run('apt-get', ['update', '-qq']);
    await download();
  });
  return (await readdir(dir)).filter((f) => f.endsWith('.deb')).map((f) => join(dir, f));
}

async function duBytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sb', dir]);
  return Number(stdout.split('\t')[0]);
}

async function baseRootfs(dir: string, work: string): Promise<void> {
  for (const deb of await downloadDebs(join(work, 'debs'))) await run('dpkg-deb', ['-x', deb, dir]);
  for (const path of PRUNED) await rm(join(dir, path), { recursive: true, force: true });
  await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
  await cp(await pinnedNode(), join(dir, 'usr/local/bin/node'));
  // The published binary carries its symbols and debug information: 18 MB that a pod never uses.
  await run('strip', [join(dir, 'usr/local/bin/node')]);
  await mkdir(join(dir, 'etc'), { recursive: true });
  await writeFile(
    join(dir, 'etc/passwd'),
    `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${IMAGE_USER}:${IMAGE_USER}:nonroot:/home/nonroot:/sbin/nologin\n`,
  );
  await writeFile(join(dir, 'etc/group'), `root:x:0:\nnonroot:x:${IMAGE_USER}:\n`);
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await chmod(join(dir, 'tmp'), 0o1777);
  await mkdir(join(dir, 'home/nonroot'), { recursive: true });
}

export async function buildImage(outDir = join(packageDir, 'image-build')): Promise<BuiltImage> {
  // The image takes this machine's Node binary and libraries: it can only be of this machine's kind.
  if (process.arch !== 'x64' || process.platform !== 'linux')
    throw new Error(
      `the image is built for linux/amd64, from this machine's Node: not on ${process.platform}/${process.arch}`,
    );
  const tag = await version();
  const reference = `${IMAGE_NAME}:${tag}`;
  const work = join(outDir, 'work');
  await rm(outDir, { recursive: true, force: true });
  const base = join(work, 'base');
  const app = join(work, 'app');
  await baseRootfs(base, work);
  await bundleOperator(app);

  const layout = join(outDir, 'oci');
  const dockerArchive = join(outDir, `${IMAGE_NAME}-${tag}.tar`);
  await assembleImage({
    layout,
    tag,
    layers: [
      { dir: base, target: '/' },
      { dir: app, target: '/app' },
    ],
    config: [
      '--config.user',
      `${IMAGE_USER}:${IMAGE_USER}`,
      '--config.workingdir',
      '/app',
      '--config.env',
      'PATH=/usr/local/bin',
      '--config.env',
      `NODE_OPTIONS=${RECOMMENDED_NODE_OPTIONS}`,
      '--config.entrypoint',
      '/usr/local/bin/node',
      '--config.entrypoint',
      '/app/main.mjs',
      '--config.label',
      `org.opencontainers.image.title=${IMAGE_NAME}`,
      '--config.label',
      `org.opencontainers.image.version=${tag}`,
    ],
    dockerArchive,
    reference,
  });

  const blobs = join(layout, 'blobs', 'sha256');
  const manifest = JSON.parse(
    await readFile(join(blobs, (await manifestDigest(layout)).replace('sha256:', '')), 'utf8'),
  ) as { layers: { size: number }[] };
  const compressedBytes = manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
  const unpackedBytes = (await duBytes(base)) + (await duBytes(app));
  await rm(work, { recursive: true, force: true });
  return { reference, ociLayout: layout, dockerArchive, compressedBytes, unpackedBytes };
}

async function manifestDigest(layout: string): Promise<string> {
  const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const digest = index.manifests[0]?.digest;
  if (!digest || !(await stat(join(layout, 'blobs', 'sha256', digest.replace('sha256:', '')))).isFile())
    throw new Error(`no manifest in ${layout}`);
  return digest;
}

if (import.meta.main) {
  const started = Date.now();
  const image = await buildImage(process.argv[2]);
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log(
    `built ${image.reference} in ${Math.round((Date.now() - started) / 1000)}s: ${mib(image.compressedBytes)} compressed, ` +
      `${mib(image.unpackedBytes)} unpacked; ${image.dockerArchive}`,
  );
}
