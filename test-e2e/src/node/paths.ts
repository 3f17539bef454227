// Where a node keeps its state inside a run directory. Everything is derived from the run directory
// alone, so that the clean-up of an interrupted run finds the node's parts without any other record.
import { basename, join } from 'node:path';

export interface NodePaths {
  /** Present once a run has started a node: tells the reaper there is more than processes to clean. */
  marker: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  containerdSocket: string;
  /** runc keeps one state.json per container here (pid, cgroups), instead of under /run/containerd. */
  runcRoot: string;
  cniConfDir: string;
  kubeletRoot: string;
  kubeletConfig: string;
  kubeletKubeconfig: string;
  podLogs: string;
  volumePlugins: string;
  pki: string;
}

// Unix socket paths must fit in 108 bytes; the kubelet's deepest one is <root>/pod-resources/kubelet.sock.
const SOCKET_PATH_LIMIT = 107;

export function nodePaths(runDir: string): NodePaths {
  // Short names: sockets live down here, and their paths must stay within the limit below.
  const dir = join(runDir, 'n');
  return {
    marker: join(dir, 'node.json'),
    containerdConfig: join(dir, 'containerd.toml'),
    containerdRoot: join(dir, 'containerd'),
    containerdState: join(dir, 'cs'),
    containerdSocket: join(dir, 'containerd.sock'),
    runcRoot: join(dir, 'runc'),
    cniConfDir: join(dir, 'cni'),
    kubeletRoot: join(dir, 'k'),
    kubeletConfig: join(dir, 'kubelet.yaml'),
    kubeletKubeconfig: join(dir, 'kubelet.kubeconfig'),
    podLogs: join(dir, 'pod-logs'),
    volumePlugins: join(dir, 'volume-plugins'),
    pki: join(dir, 'pki'),
  };
}

/** The run id tags what a run leaves outside its directory (iptables rules), for the reaper to find. */
export function runId(runDir: string): string {
  return basename(runDir);
}

export function checkSocketPaths(paths: NodePaths): void {
  const deepest = join(paths.kubeletRoot, 'pod-resources', 'kubelet.sock');
  for (const socket of [`${paths.containerdSocket}.ttrpc`, deepest]) {
    if (Buffer.byteLength(socket) > SOCKET_PATH_LIMIT)
      throw new Error(`socket path too long for a unix socket (${socket}): set GKO_CACHE_DIR to a shorter folder`);
  }
}
