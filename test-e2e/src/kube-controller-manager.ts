import { join } from 'node:path';
import type { ClusterPkiFiles } from './cluster-pki.ts';
import { freePorts } from './ports.ts';
import { get } from './probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import type { Run } from './run-registry.ts';

/** The controllers a test cluster needs: ownerReference cascades, namespace deletion, service accounts. */
export const TEST_CONTROLLERS = [
  'garbage-collector-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'serviceaccount-token-controller',
];

/** What pods of a cluster with a node need: workloads, services, service-account tokens and the root CA. */
export const NODE_CONTROLLERS = [
  ...TEST_CONTROLLERS,
  'root-ca-certificate-publisher-controller',
  'clusterrole-aggregation-controller',
  'deployment-controller',
  'replicaset-controller',
  'statefulset-controller',
  'daemonset-controller',
  'job-controller',
  'cronjob-controller',
  'ttl-after-finished-controller',
  'disruption-controller',
  'endpoints-controller',
  'endpointslice-controller',
  'endpointslice-mirroring-controller',
  'pod-garbage-collector-controller',
  // A kubelet registers its node with a not-ready taint; this controller lifts it once the node is Ready.
  'node-lifecycle-controller',
];

export async function startKubeControllerManager(
  run: Run,
  options: { binary: string; kubeconfig: string; pki: ClusterPkiFiles; controllers?: string[]; timeoutMs?: number },
): Promise<ManagedProcess> {
  const [port] = (await freePorts(1)) as [number];
  const process = await startProcess(run, {
    name: `kube-controller-manager-${port}`,
    binary: options.binary,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      `--authentication-kubeconfig=${options.kubeconfig}`,
      `--authorization-kubeconfig=${options.kubeconfig}`,
      '--authorization-always-allow-paths=/healthz,/readyz,/livez',
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      // Its self-signed serving certificate goes here instead of the working directory.
      `--cert-dir=${join(run.dir, `kcm-${port}`)}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      `--controllers=${(options.controllers ?? TEST_CONTROLLERS).join(',')}`,
      `--root-ca-file=${options.pki.caCert}`,
      `--service-account-private-key-file=${options.pki.serviceAccountKey}`,
      '--v=1',
    ],
  });
  await waitUntilReady(
    process,
    async () => (await get(`https://127.0.0.1:${port}/healthz`, { insecure: true })).status === 200,
    options.timeoutMs ?? 60_000,
  );
  return process;
}
