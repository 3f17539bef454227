import { join } from 'node:path';
import { freePorts } from './ports.ts';
import { get } from './probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import type { Run } from './run-registry.ts';

export interface Etcd {
  process: ManagedProcess;
  clientUrl: string;
}

/** A single-member etcd on loopback, without fsync: test data need not survive a power cut. */
export async function startEtcd(run: Run, binary: string, timeoutMs = 30_000): Promise<Etcd> {
  const [clientPort, peerPort] = (await freePorts(2)) as [number, number];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const process = await startProcess(run, {
    name: 'etcd',
    binary,
    args: [
      '--name=test',
      `--data-dir=${join(run.dir, 'etcd')}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
  });
  await waitUntilReady(
    process,
    async () => {
      const { status, body } = await get(`${clientUrl}/health`);
      return status === 200 && (JSON.parse(body) as { health?: string }).health === 'true';
    },
    timeoutMs,
  );
  return { process, clientUrl };
}
