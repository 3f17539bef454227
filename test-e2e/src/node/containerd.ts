// The node's container runtime: the machine's containerd (Debian package) with its root, state,
// socket, runc state and CNI configuration inside the run directory, so that two runs never share
// anything and the clean-up knows where to look.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { startProcess, waitUntilReady, type ManagedProcess } from '../processes.ts';
import type { Run } from '../run-registry.ts';
import type { NodePaths } from './paths.ts';

const run = promisify(execFile);

/** The CRI namespace: images must be imported there for the kubelet to see them. */
export const CRI_NAMESPACE = 'k8s.io';

// Plugins that would create folders outside the run (/opt/containerd) or probe for storage drivers
// the node does not use.
const DISABLED_PLUGINS = [
  'io.containerd.internal.v1.opt',
  'io.containerd.snapshotter.v1.aufs',
  'io.containerd.snapshotter.v1.btrfs',
  'io.containerd.snapshotter.v1.devmapper',
  'io.containerd.snapshotter.v1.zfs',
];

const quote = (value: string) => JSON.stringify(value);

export function renderContainerdConfig(paths: NodePaths, sandboxImage: string): string {
  const cri = '[plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = ${quote(paths.containerdRoot)}
state = ${quote(paths.containerdState)}
disabled_plugins = [${DISABLED_PLUGINS.map(quote).join(', ')}]

[grpc]
  address = ${quote(paths.containerdSocket)}

${cri}]
  sandbox_image = ${quote(sandboxImage)}
  # Without it every sandbox fails: the machine lacks CAP_SYS_RESOURCE to lower an OOM score adjustment.
  restrict_oom_score_adj = true
  disable_apparmor = true
  # Pod network namespaces are bind-mounted under the state folder rather than /var/run/netns.
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"

${cri}.cni]
  bin_dir = "/usr/lib/cni"
  conf_dir = ${quote(paths.cniConfDir)}

${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

${cri}.containerd.runtimes.runc.options]
  BinaryName = "runc"
  Root = ${quote(paths.runcRoot)}
  SystemdCgroup = false
`;
}

/** Only a loopback interface per pod: pods that must be reached use the host network. */
function loopbackConflist(): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'gko-testenv-loopback',
    plugins: [{ type: 'loopback' }],
  });
}

export async function ctr(paths: NodePaths, args: string[], timeoutMs = 120_000): Promise<string> {
  const { stdout } = await run('ctr', ['--address', paths.containerdSocket, '--namespace', CRI_NAMESPACE, ...args], {
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export async function startContainerd(
  run: Run,
  paths: NodePaths,
  options: { sandboxImage: string; timeoutMs?: number },
): Promise<ManagedProcess> {
  await mkdir(paths.cniConfDir, { recursive: true });
  await writeFile(`${paths.cniConfDir}/10-loopback.conflist`, loopbackConflist());
  await writeFile(paths.containerdConfig, renderContainerdConfig(paths, options.sandboxImage));
  const process = await startProcess(run, {
    name: 'containerd',
    binary: '/usr/bin/containerd',
    args: ['--config', paths.containerdConfig, '--log-level', 'warn'],
    // The node must never pull from outside the machine: registry traffic goes to a closed loopback port.
    env: { HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' },
  });
  await waitUntilReady(
    process,
    async () => {
      await ctr(paths, ['version'], 5_000);
      return true;
    },
    options.timeoutMs ?? 30_000,
  );
  return process;
}
