// Images reach the node by import, never by pull.
import type { ClusterInfo } from './cluster.ts';
import { ctr } from './containerd.ts';
import { nodePaths } from './paths.ts';

/**
 * Imports a docker-archive or oci-archive tarball into the node's containerd, where the kubelet finds
 * it (pods must use `imagePullPolicy: IfNotPresent` or `Never`, and not the `latest` tag, which
 * implies Always). Returns the names of the images it held.
 */
export async function loadImage(cluster: Pick<ClusterInfo, 'runDir'>, archivePath: string): Promise<string[]> {
  const output = await ctr(nodePaths(cluster.runDir), ['images', 'import', '--platform', 'linux/amd64', archivePath]);
  // One "unpacking <name> (<digest>)...done" line per image.
  return [...output.matchAll(/^unpacking (\S+) \(/gm)].map((match) => match[1] as string);
}
