// Images made of one static program in an empty (`FROM scratch`) file system, built without Docker
// (umoci for the OCI layout, skopeo for the archive) and kept in the cache: the node's sandbox image
// and small test programs. A node cannot pull, so everything it runs is imported from such archives.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { assembleImage } from '../../../packages/operator/scripts/oci-image.ts';
import { cacheRoot } from '../../control-plane/binaries.ts';

export interface ScratchImage {
  /** The name the node knows the image by, e.g. gko.local/testenv/pause:0123456789ab. */
  reference: string;
  /** A docker-archive tarball, for loadImage(). */
  archive: string;
}

export interface ScratchImageSpec {
  /** Repository name under gko.local/testenv/. */
  name: string;
  /** A statically linked program: the image has no libraries. */
  binary: string;
  /** Arguments after the program, baked into the entry point. */
  args?: string[];
}

function imagesDir(): string {
  return join(cacheRoot(), 'testenv', 'images');
}

/** Builds the image once per program content and arguments; later calls return the cached archive. */
export async function scratchImage(spec: ScratchImageSpec): Promise<ScratchImage> {
  const args = spec.args ?? [];
  const hash = createHash('sha256')
    .update(await readFile(spec.binary))
    .update(JSON.stringify(args))
    .digest('hex')
    .slice(0, 12);
  const reference = `gko.local/testenv/${spec.name}:${hash}`;
  const archive = join(imagesDir(), `${spec.name}-${hash}.tar`);
  if (existsSync(archive)) return { reference, archive };

  await mkdir(imagesDir(), { recursive: true });
  // Parallel workers may build the same image: each in its own folder, the finished archive renamed into place.
  const work = await mkdtemp(join(imagesDir(), `.${spec.name}-`));
  try {
    const rootfs = join(work, 'rootfs');
    const program = basename(spec.binary);
    await mkdir(rootfs);
    await copyFile(spec.binary, join(rootfs, program));
    const built = join(work, 'image.tar');
    await assembleImage({
      layout: join(work, 'oci'),
      tag: hash,
      layers: [{ dir: rootfs, target: '/' }],
      config: [`/${program}`, ...args].flatMap((arg) => ['--config.entrypoint', arg]),
      dockerArchive: built,
      reference,
    });
    await rename(built, archive);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return { reference, archive };
}
