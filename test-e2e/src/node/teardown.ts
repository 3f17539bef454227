// Removes what a node leaves on the machine, from its run directory alone, so that it serves both a
// cluster's stop() and the clean-up of a run that was killed: containers (found through runc's state
// in the run), containerd's shims (found by the run's containerd socket on their command line, as
// they are re-parented away from containerd), mounts under the run, the containers' cgroups, the
// shims' sockets, what the node put outside the run (outside.ts), iptables rules tagged with the run
// id, and, once no node is left, the kubelet's chains and kernel settings.
import { existsSync } from 'node:fs';
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteKubeletChains, deleteRunRules } from './iptables.ts';
import { unmountAll } from './mounts.ts';
import { removeOutside } from './outside.ts';
import { nodePaths, runId, type NodePaths } from './paths.ts';
import { commandLine, killAndWait, listPids, unixSocketPaths } from './proc.ts';
import { restoreSysctls } from './sysctls.ts';

export interface ContainerState {
  id: string;
  initPid: number;
  cgroupPaths: string[];
}

/** runc's record of each container of the node (removed by runc only once the container is deleted). */
export async function containerStates(paths: NodePaths): Promise<ContainerState[]> {
  const states: ContainerState[] = [];
  const namespaces = await readdir(paths.runcRoot).catch(() => []);
  for (const namespace of namespaces) {
    for (const id of await readdir(join(paths.runcRoot, namespace)).catch(() => [])) {
      const text = await readFile(join(paths.runcRoot, namespace, id, 'state.json'), 'utf8').catch(() => undefined);
      if (!text) continue;
      const state = JSON.parse(text) as { init_process_pid?: number; cgroup_paths?: Record<string, string> };
      states.push({
        id,
        initPid: state.init_process_pid ?? 0,
        cgroupPaths: [...new Set(Object.values(state.cgroup_paths ?? {}))],
      });
    }
  }
  return states;
}

async function cgroupPids(path: string): Promise<number[]> {
  const text = await readFile(join(path, 'cgroup.procs'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

/** Every process of the node's containers: their cgroups hold them all, whatever namespaces they use. */
export async function containerPids(states: ContainerState[]): Promise<number[]> {
  const pids = new Set<number>();
  for (const state of states) {
    if (state.initPid > 0 && existsSync(`/proc/${state.initPid}`)) pids.add(state.initPid);
    for (const path of state.cgroupPaths) for (const pid of await cgroupPids(path)) pids.add(pid);
  }
  return [...pids];
}

/** Processes started from this node's containerd configuration or attached to its socket. */
export async function runtimePids(paths: NodePaths): Promise<{ containerd: number[]; shims: number[] }> {
  const containerd: number[] = [];
  const shims: number[] = [];
  for (const pid of await listPids()) {
    const args = await commandLine(pid);
    const address = args.indexOf('-address');
    if (address >= 0 && args[address + 1] === paths.containerdSocket) shims.push(pid);
    else if (args.includes(paths.containerdConfig)) containerd.push(pid);
  }
  return { containerd, shims };
}

/** rmdir fails while the kernel still releases the last task of a cgroup: retry a little. */
async function removeCgroup(path: string): Promise<void> {
  for (let attempt = 0; existsSync(path); attempt++) {
    try {
      await rmdir(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (attempt >= 50) throw new Error(`cannot remove cgroup ${path}: ${code}`, { cause: error });
      await sleep(100);
    }
  }
}

export interface NodeMarker {
  nodeName: string;
  /** Folders outside the run that no live node had created when this one started (outside.ts). */
  absentBefore: string[];
  /** Kernel settings from before the first live node's kubelet changed them (sysctls.ts). */
  sysctlsBefore: Record<string, string>;
}

export interface TeardownOptions {
  /** False while another node runs on the machine: the kubelet chains and some folders are shared. */
  lastNode: boolean;
}

export async function readNodeMarker(runDir: string): Promise<NodeMarker | undefined> {
  const text = await readFile(nodePaths(runDir).marker, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let marker: Partial<NodeMarker> = {};
  try {
    marker = JSON.parse(text) as Partial<NodeMarker>;
  } catch {
    // Cut short by a kill while it was written: there is a node to look for all the same.
  }
  return {
    nodeName: marker.nodeName ?? '',
    absentBefore: marker.absentBefore ?? [],
    sysctlsBefore: marker.sysctlsBefore ?? {},
  };
}

export async function tearDownNode(runDir: string, options: TeardownOptions): Promise<void> {
  const paths = nodePaths(runDir);
  const marker = await readNodeMarker(runDir);
  if (!marker) {
    await unmountAll(runDir);
    await deleteRunRules(runId(runDir));
    return;
  }
  const states = await containerStates(paths);
  // Containers first, while their shims still collect them; then the shims and containerd.
  await killAndWait(await containerPids(states));
  const { containerd, shims } = await runtimePids(paths);
  const shimSockets = (await Promise.all(shims.map((pid) => unixSocketPaths(pid)))).flat();
  await killAndWait([...shims, ...containerd]);
  await unmountAll(runDir);
  const cgroups = states.flatMap((state) => state.cgroupPaths);
  // Deepest first: a parent cgroup can only go once its children have.
  cgroups.sort((a, b) => b.length - a.length);
  for (const path of cgroups) await removeCgroup(path);
  await removeOutside(runDir, {
    shimSockets,
    containerIds: states.map((state) => state.id),
    lastNode: options.lastNode,
    absentBefore: marker.absentBefore,
  });
  await deleteRunRules(runId(runDir));
  if (options.lastNode) {
    await deleteKubeletChains();
    await restoreSysctls(marker.sysctlsBefore);
  }
}
