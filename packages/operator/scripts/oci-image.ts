// Assembles an OCI image from folders, without Docker: umoci writes an OCI layout (one layer per
// folder, then the configuration), skopeo exports it as a docker-archive tarball that
// `ctr images import` and `docker load` read. The platform is always set: `ctr images import` skips
// content whose platform does not match the node.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ImageSpec {
  /** Where the OCI layout is written, and the tag inside it. */
  layout: string;
  tag: string;
  /** Each folder becomes one layer, placed at `target` in the image. */
  layers: { dir: string; target: string }[];
  /** Extra `umoci config` flags: user, entry point, environment, labels. */
  config: string[];
  /** The docker-archive to write, and the image reference it carries. */
  dockerArchive: string;
  reference: string;
}

export async function assembleImage(spec: ImageSpec): Promise<void> {
  const image = `${spec.layout}:${spec.tag}`;
  await run('umoci', ['init', '--layout', spec.layout]);
  await run('umoci', ['new', '--image', image]);
  for (const layer of spec.layers)
    await run('umoci', ['insert', '--no-history', '--image', image, layer.dir, layer.target]);
  await run('umoci', [
    'config',
    '--no-history',
    '--image',
    image,
    '--architecture',
    'amd64',
    '--os',
    'linux',
    ...spec.config,
  ]);
  await run('umoci', ['gc', '--layout', spec.layout]);
  await run('skopeo', ['copy', '--quiet', `oci:${image}`, `docker-archive:${spec.dockerArchive}:${spec.reference}`]);
}
