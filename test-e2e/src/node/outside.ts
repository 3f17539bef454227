// What a node's programs put outside the run directory, wherever they are told to keep their files:
// the kubelet's device-plugin socket (a fixed path) and its log links in /var/log/containers,
// containerd's default cgroup parent (k8s.io) and its shims' sockets under /run/containerd, the CNI
// library's result cache (for pods off the host network) and libmount's /run/mount. Folders that did
// not exist before the first live node started are removed again once no node is left; a run
// removes its own links and sockets in any case.
import { existsSync } from 'node:fs';
import { lstat, readdir, readlink, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';
/** containerd's CRI plugin puts containers under this cgroup when the kubelet names no parent. */
const CGROUP_PARENT = 'k8s.io';
const DEVICE_PLUGIN_SOCKET = '/var/lib/kubelet/device-plugins/kubelet.sock';
const CONTAINER_LOG_LINKS = '/var/log/containers';
export const SHIM_SOCKET_DIR = '/run/containerd/s';
/** One file per pod sandbox and interface, `<network>-<sandbox id>-<interface>`. */
const CNI_RESULTS = '/var/lib/cni/results';

/** The folders the node may create outside its run, deepest first. */
export async function outsideDirs(): Promise<string[]> {
  const hierarchies = await readdir(CGROUP_ROOT, { withFileTypes: true }).catch(() => []);
  return [
    '/var/lib/kubelet/device-plugins',
    '/var/lib/kubelet',
    CONTAINER_LOG_LINKS,
    CNI_RESULTS,
    '/var/lib/cni',
    SHIM_SOCKET_DIR,
    '/run/containerd',
    '/run/mount',
    ...hierarchies.filter((entry) => entry.isDirectory()).map((entry) => join(CGROUP_ROOT, entry.name, CGROUP_PARENT)),
  ];
}

export async function absentOutsideDirs(): Promise<string[]> {
  return (await outsideDirs()).filter((dir) => !existsSync(dir));
}

/** The kubelet links each container's log into /var/log/containers: the links into this run go. */
async function removeLogLinks(runDir: string): Promise<void> {
  for (const name of await readdir(CONTAINER_LOG_LINKS).catch(() => [])) {
    const link = join(CONTAINER_LOG_LINKS, name);
    const target = await readlink(link).catch(() => '');
    if (target.startsWith(`${runDir}/`)) await rm(link, { force: true });
  }
}

async function removeCniResults(sandboxIds: string[]): Promise<void> {
  for (const name of await readdir(CNI_RESULTS).catch(() => [])) {
    if (sandboxIds.some((id) => name.includes(`-${id}-`))) await rm(join(CNI_RESULTS, name), { force: true });
  }
}

export async function removeOutside(
  runDir: string,
  options: { shimSockets: string[]; containerIds: string[]; lastNode: boolean; absentBefore: string[] },
): Promise<void> {
  await removeLogLinks(runDir);
  await removeCniResults(options.containerIds);
  for (const socket of options.shimSockets) {
    if (socket.startsWith(`${SHIM_SOCKET_DIR}/`)) await rm(socket, { force: true });
  }
  if (!options.lastNode) return;
  // Every kubelet on the machine serves this same path: only the last one's may go.
  if ((await lstat(DEVICE_PLUGIN_SOCKET).catch(() => undefined))?.isSocket()) await rm(DEVICE_PLUGIN_SOCKET);
  const order = await outsideDirs();
  const dirs = options.absentBefore.filter((dir) => order.includes(dir));
  dirs.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  // rmdir leaves anything that still holds files (or, for a cgroup, tasks or children).
  for (const dir of dirs) await rmdir(dir).catch(() => undefined);
}
