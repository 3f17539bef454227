// Binds the cluster's pods to its node.
import { join } from 'node:path';
import { freePorts } from '../ports.ts';
import { get } from '../probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from '../processes.ts';
import type { Run } from '../run-registry.ts';

export async function startKubeScheduler(
  run: Run,
  options: { binary: string; kubeconfig: string; timeoutMs?: number },
): Promise<ManagedProcess> {
  const [port] = (await freePorts(1)) as [number];
  const process = await startProcess(run, {
    name: 'kube-scheduler',
    binary: options.binary,
    args: [
      `--kubeconfig=${options.kubeconfig}`,
      `--authentication-kubeconfig=${options.kubeconfig}`,
      `--authorization-kubeconfig=${options.kubeconfig}`,
      '--authorization-always-allow-paths=/healthz,/readyz,/livez',
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      // Its self-signed serving certificate goes here instead of the working directory.
      `--cert-dir=${join(run.dir, 'kube-scheduler')}`,
      '--leader-elect=false',
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
