// The node agent. Its settings make it run on this machine as it is: cgroup v1 (hybrid) without QoS
// cgroups or allocatable enforcement, no eviction or image garbage collection (a test node's disk is
// whatever the machine has), every port on loopback, and every file inside the run directory.
import { mkdir, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { ClusterPkiFiles } from '../cluster-pki.ts';
import { writeKubeconfig } from '../kubeconfig.ts';
import { freePorts } from '../ports.ts';
import { get } from '../probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from '../processes.ts';
import type { Run } from '../run-registry.ts';
import type { NodeCredentials } from './node-pki.ts';
import type { NodePaths } from './paths.ts';

export interface KubeletOptions {
  binary: string;
  server: string;
  caPem: string;
  pki: ClusterPkiFiles;
  credentials: NodeCredentials;
  /** The API server reaches the kubelet by this name (it resolves to loopback). */
  nodeName: string;
  timeoutMs?: number;
}

export function kubeletConfiguration(
  paths: NodePaths,
  options: KubeletOptions,
  ports: { port: number; healthzPort: number },
): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // 1.36 refuses cgroup v1 unless told otherwise; the machine's controllers are all on v1.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupsPerQOS: false,
    enforceNodeAllocatable: [],
    evictionHard: {},
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    failSwapOn: false,
    // Secret volumes follow their Secret within seconds (renewed certificates reach the pods fast).
    syncFrequency: '10s',
    shutdownGracePeriod: '0s',
    address: '127.0.0.1',
    port: ports.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: ports.healthzPort,
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    podLogsDir: paths.podLogs,
    volumePluginDir: paths.volumePlugins,
    tlsCertFile: options.credentials.servingCert,
    tlsPrivateKeyFile: options.credentials.servingKey,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: false },
      x509: { clientCAFile: options.pki.caCert },
    },
    // Only loopback reaches it, and only certificates of the cluster CA get in.
    authorization: { mode: 'AlwaysAllow' },
  };
}

export async function startKubelet(run: Run, paths: NodePaths, options: KubeletOptions): Promise<ManagedProcess> {
  const [port, healthzPort] = (await freePorts(2)) as [number, number];
  await Promise.all(
    [paths.kubeletRoot, paths.podLogs, paths.volumePlugins].map((dir) => mkdir(dir, { recursive: true })),
  );
  await writeFile(paths.kubeletConfig, stringify(kubeletConfiguration(paths, options, { port, healthzPort })));
  await writeKubeconfig(
    paths.kubeletKubeconfig,
    options.server,
    options.caPem,
    `system:node:${options.nodeName}`,
    options.credentials.client,
  );
  const process = await startProcess(run, {
    name: 'kubelet',
    binary: options.binary,
    args: [
      `--config=${paths.kubeletConfig}`,
      `--kubeconfig=${paths.kubeletKubeconfig}`,
      `--root-dir=${paths.kubeletRoot}`,
      `--cert-dir=${paths.pki}`,
      // A loopback --node-ip is refused; a node named after a host name that resolves to loopback
      // gives the API server an address to reach the kubelet at.
      `--hostname-override=${options.nodeName}`,
      '--v=1',
    ],
  });
  await waitUntilReady(
    process,
    async () => (await get(`http://127.0.0.1:${healthzPort}/healthz`)).status === 200,
    options.timeoutMs ?? 60_000,
  );
  return process;
}
