// A cluster whose pods run on a real node (containerd, runc, kubelet on this machine), and a clean-up
// that leaves nothing behind: at stop(), when the test process is killed (the run's watchdog), and
// when even the watchdog is gone (the next run's reaper).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createNamespace,
  kubectlOk,
  leftovers,
  loadImage,
  reapStaleRuns,
  routeService,
  runFootprint,
  startCluster,
  waitForServiceAccount,
  type Cluster,
  type RunFootprint,
} from '../../src/index.ts';
import { machineLeftovers } from '../../src/node/footprint.ts';
import { readNodeMarker, type NodeMarker } from '../../src/node/teardown.ts';
import { get } from '../../src/probe.ts';
import { liveNodeRuns, processStartTime, watchdogFile } from '../../src/run-registry.ts';
import { HELLO_LINE, helloImage } from './fixtures/hello-image.ts';
import { pod, runPod, service } from './fixtures/pods.ts';

interface Held {
  footprint: RunFootprint;
  marker: NodeMarker;
}

async function expectNothingLeft({ footprint, marker }: Held): Promise<void> {
  expect(footprint.processes.length).toBeGreaterThan(0);
  expect(footprint.mounts.length).toBeGreaterThan(0);
  expect(footprint.cgroups.length).toBeGreaterThan(0);
  expect(footprint.rules.length).toBeGreaterThan(0);
  expect(await leftovers(footprint)).toEqual({ ...footprint, processes: [], mounts: [], cgroups: [], rules: [] });
  expect(existsSync(footprint.runDir)).toBe(false);
  // What nodes share on the machine is only put back by the last one (another suite may run one).
  if ((await liveNodeRuns(footprint.runDir)).length === 0)
    expect(await machineLeftovers(marker)).toEqual({ kubeletChains: [], outsideDirs: [], sysctls: [] });
}

async function held(runDir: string): Promise<Held> {
  const marker = await readNodeMarker(runDir);
  if (!marker) throw new Error(`no node in ${runDir}`);
  return { footprint: await runFootprint(runDir), marker };
}

async function holdCluster(): Promise<{ child: ReturnType<typeof spawn>; held: Held }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'hold-cluster.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, held: JSON.parse(line) as Held };
}

/** Connects from this process and reads what the server says first. */
async function readFrom(host: string, port: number): Promise<string> {
  const socket = connect({ host, port });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  await once(socket, 'end');
  return text;
}

describe('a cluster with a node', () => {
  let cluster: Cluster;
  let namespace: string;
  let stopped = false;

  beforeAll(async () => {
    const hello = await helloImage();
    cluster = await startCluster({ images: [hello.archive] });
    console.log(`cluster with a Ready node in ${cluster.readyAfterMs} ms`);
  });

  afterAll(async () => {
    if (!stopped) await cluster?.stop();
  });

  it('has a Ready node', async () => {
    const conditions = await kubectlOk(cluster.info, [
      'get',
      'node',
      cluster.info.nodeName,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
    ]);
    expect(conditions).toBe('True');
  });

  it('runs a pod on the host network', async () => {
    namespace = await createNamespace(cluster.info, 'node-suite');
    await waitForServiceAccount(cluster.info, namespace);
    const started = Date.now();
    await runPod(cluster.info, pod('sleeper', namespace, cluster.info.pauseImage));
    console.log(`host-network pod Running in ${Date.now() - started} ms`);
    const phase = await kubectlOk(cluster.info, [
      'get',
      'pod',
      '-n',
      namespace,
      'sleeper',
      '-o',
      'jsonpath={.status.phase}',
    ]);
    expect(phase).toBe('Running');
  });

  it('imports image archives into the node', async () => {
    const hello = await helloImage();
    expect(await loadImage(cluster.info, hello.archive)).toEqual([hello.reference]);
  });

  it('serves the logs of a pod', async () => {
    const hello = await helloImage();
    // Only host-network pods start: with the loopback plugin alone, containerd finds no pod address.
    await runPod(cluster.info, pod('hello', namespace, hello.reference));
    let logs = '';
    for (let attempt = 0; attempt < 50 && !logs.includes(HELLO_LINE); attempt++, await sleep(100)) {
      logs = await kubectlOk(cluster.info, ['logs', '-n', namespace, 'hello']);
    }
    expect(logs).toContain(HELLO_LINE);
  });

  it('routes a Service to a port on loopback', async () => {
    const server = createServer((socket) => socket.end('routed'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      await kubectlOk(cluster.info, ['apply', '-f', '-'], {
        input: JSON.stringify(service('echo', namespace, port)),
      });
      await routeService(cluster.info, namespace, 'echo');
      const clusterIp = await kubectlOk(cluster.info, [
        'get',
        'service',
        '-n',
        namespace,
        'echo',
        '-o',
        'jsonpath={.spec.clusterIP}',
      ]);
      expect(await readFrom(clusterIp, 443)).toBe('routed');
    } finally {
      server.close();
    }
  });

  it('lets pods reach the API server at the kubernetes Service address', async () => {
    const clusterIp = await kubectlOk(cluster.info, [
      'get',
      'service',
      '-n',
      'default',
      'kubernetes',
      '-o',
      'jsonpath={.spec.clusterIP}',
    ]);
    // The serving certificate names the Service address, as in-cluster clients expect.
    expect((await get(`https://${clusterIp}/readyz`, { ca: cluster.info.caPem })).status).toBe(200);
  });

  it('leaves nothing behind once stopped', async () => {
    const before = await held(cluster.info.runDir);
    const started = Date.now();
    stopped = true;
    await cluster.stop();
    console.log(`cluster stopped in ${Date.now() - started} ms`);
    await expectNothingLeft(before);
  });
});

describe('an interrupted cluster run', () => {
  it('is cleaned up by its watchdog as soon as the test process is killed', async () => {
    const { child, held } = await holdCluster();
    const watchdog = JSON.parse(await readFile(watchdogFile(held.footprint.runDir), 'utf8')) as { pid: number };
    const killed = Date.now();
    child.kill('SIGKILL');
    // The watchdog exits once it has cleaned up.
    while ((await processStartTime(watchdog.pid)) !== undefined && Date.now() - killed < 60_000) await sleep(100);
    console.log(`watchdog cleaned up in ${Date.now() - killed} ms`);
    await expectNothingLeft(held);
  });

  it('is cleaned up by the next run when even its watchdog was killed', async () => {
    const { child, held } = await holdCluster();
    const { runDir } = held.footprint;
    const watchdog = JSON.parse(await readFile(watchdogFile(runDir), 'utf8')) as { pid: number };
    process.kill(watchdog.pid, 'SIGKILL');
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(existsSync(runDir)).toBe(true);
    const started = Date.now();
    await reapStaleRuns();
    console.log(`next run cleaned up in ${Date.now() - started} ms`);
    await expectNothingLeft(held);
  });
});
