// A cluster whose pods really run: its own control plane (not the suites' shared one) configured for
// a node, kube-controller-manager with the workload controllers, kube-scheduler, and one node made of
// containerd, runc and the kubelet on this machine. Pods that must be reached use the host network.
// Everything lives in one run: stop() removes it all, and so does the next run if this one is killed
// (the watchdog even does it at once).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pkiFiles } from '../cluster-pki.ts';
import { startControlPlane, type ControlPlaneInfo } from '../control-plane.ts';
import { NODE_CONTROLLERS, startKubeControllerManager } from '../kube-controller-manager.ts';
import { kubectl, type KubectlTarget } from '../kubectl.ts';
import type { ManagedProcess } from '../processes.ts';
import { attachRun, liveNodeRuns, type Run } from '../run-registry.ts';
import { startContainerd } from './containerd.ts';
import { loadImage } from './images.ts';
import { guardServiceRange } from './iptables.ts';
import { startKubeScheduler } from './kube-scheduler.ts';
import { startKubelet } from './kubelet.ts';
import { issueNodeCredentials } from './node-pki.ts';
import { absentOutsideDirs } from './outside.ts';
import { checkSocketPaths, nodePaths, runId } from './paths.ts';
import { scratchImage } from './scratch-image.ts';
import { pickServiceCidr } from './service-range.ts';
import { routeService } from './services.ts';
import { readKubeletSysctls } from './sysctls.ts';
import { readNodeMarker, tearDownNode, type NodeMarker } from './teardown.ts';
import { startWatchdog, type Watchdog } from './watchdog.ts';

/** The node's name: a host name that resolves to loopback, so the API server can reach the kubelet. */
export const NODE_NAME = 'localhost';

/** Plain data, so it can cross to test workers. */
export interface ClusterInfo extends ControlPlaneInfo {
  nodeName: string;
  /** Tags what the cluster adds outside its run directory (iptables rules). */
  runId: string;
  containerdSocket: string;
  /** Where the cluster's Service addresses come from (routed on this machine by routeService). */
  serviceCidr: string;
  /** The sandbox image: a program that only waits for a signal, usable by pods too. */
  pauseImage: string;
}

export interface Cluster {
  info: ClusterInfo;
  /** The cluster's processes, in start order (the control plane's own are not included). */
  processes: ManagedProcess[];
  /** Milliseconds from the call to the node being Ready. */
  readyAfterMs: number;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** kube-controller-manager's controllers; by default what workloads, services and tokens need. */
  controllers?: string[];
  /** Image archives (docker-archive or oci-archive) to import while the cluster starts. */
  images?: string[];
  timeoutMs?: number;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(200)) {
    if (Date.now() > deadline) throw new Error(`${what} after ${timeoutMs} ms`);
  }
}

/** Ready, and schedulable: without the taint a node registers with until the controller sees it Ready. */
async function nodeReady(target: KubectlTarget, nodeName: string): Promise<boolean> {
  const { code, stdout } = await kubectl(target, ['get', 'node', nodeName, '-o', 'json']);
  if (code !== 0) return false;
  const node = JSON.parse(stdout) as {
    spec: { taints?: { key: string }[] };
    status: { conditions?: { type: string; status: string }[] };
  };
  const ready = node.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return ready && !(node.spec.taints ?? []).some((taint) => taint.key === 'node.kubernetes.io/not-ready');
}

/**
 * Waits for a namespace's default service account: the ServiceAccount admission plugin turns Pods
 * away until the controller has created it.
 */
export async function waitForServiceAccount(target: KubectlTarget, namespace: string, timeoutMs = 30_000) {
  await waitFor(
    `no default service account in ${namespace}`,
    async () => (await kubectl(target, ['get', 'serviceaccount', 'default', '-n', namespace])).code === 0,
    timeoutMs,
  );
}

/**
 * The marker goes first: from then on a clean-up looks for containers, mounts and rules. It holds
 * what the machine was like before its nodes started (folders outside the run, kernel settings), as
 * seen by this node or, when other nodes are running, by the first of them: whichever node stops
 * last puts the machine back.
 */
async function markNode(run: Run): Promise<void> {
  const others = await Promise.all((await liveNodeRuns(run.dir)).map((dir) => readNodeMarker(dir)));
  const earlier = others.filter((marker) => marker !== undefined);
  const marker: NodeMarker = {
    nodeName: NODE_NAME,
    absentBefore: [...new Set([...(await absentOutsideDirs()), ...earlier.flatMap((m) => m.absentBefore)])],
    sysctlsBefore: earlier[0]?.sysctlsBefore ?? (await readKubeletSysctls()),
  };
  const file = nodePaths(run.dir).marker;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(marker));
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const startedAt = Date.now();
  const timeoutMs = options.timeoutMs ?? 120_000;
  const serviceCidr = await pickServiceCidr();
  const controlPlane = await startControlPlane({ node: { serviceCidr } });
  const base = controlPlane.info;
  const run = attachRun(base.runDir);
  const paths = nodePaths(run.dir);
  const processes: ManagedProcess[] = [];
  let watchdog: Watchdog | undefined;
  const stop = async () => {
    try {
      await watchdog?.stop();
      for (const process of [...processes].reverse()) await process.stop();
      await tearDownNode(run.dir, { lastNode: (await liveNodeRuns(run.dir)).length === 0 });
    } finally {
      // Refuses to delete the run directory while something is still mounted in it.
      await controlPlane.stop();
    }
  };
  try {
    checkSocketPaths(paths);
    await markNode(run);
    watchdog = await startWatchdog(run);
    await guardServiceRange(runId(run.dir), serviceCidr);
    const pause = await scratchImage({ name: 'pause', binary: base.binaries.pause });
    const info: ClusterInfo = {
      ...base,
      nodeName: NODE_NAME,
      runId: runId(run.dir),
      containerdSocket: paths.containerdSocket,
      serviceCidr,
      pauseImage: pause.reference,
    };

    // The controllers, the scheduler and the runtime do not depend on each other: start them together.
    const controllerManager = startKubeControllerManager(run, {
      binary: base.binaries['kube-controller-manager'],
      kubeconfig: base.kubeconfig,
      pki: pkiFiles(run.dir),
      controllers: options.controllers ?? NODE_CONTROLLERS,
    });
    const scheduler = startKubeScheduler(run, { binary: base.binaries['kube-scheduler'], kubeconfig: base.kubeconfig });
    const runtime = (async () => {
      processes.push(await startContainerd(run, paths, { sandboxImage: pause.reference }));
      for (const archive of [pause.archive, ...(options.images ?? [])]) await loadImage(info, archive);
    })();
    const credentials = issueNodeCredentials(pkiFiles(run.dir), NODE_NAME, paths.pki);
    // Pods with the in-cluster configuration call the API server at the kubernetes Service.
    const apiRoute = routeService(info, 'default', 'kubernetes');
    const settled = await Promise.allSettled([controllerManager, scheduler, runtime, credentials, apiRoute]);
    // Whatever did start must be stopped, even when something else failed.
    for (const started of settled.slice(0, 2))
      if (started.status === 'fulfilled') processes.push(started.value as ManagedProcess);
    for (const result of settled) if (result.status === 'rejected') throw result.reason;

    processes.push(
      await startKubelet(run, paths, {
        binary: base.binaries.kubelet,
        server: base.server,
        caPem: base.caPem,
        pki: pkiFiles(run.dir),
        credentials: await credentials,
        nodeName: NODE_NAME,
      }),
    );
    await waitFor(`node ${NODE_NAME} not Ready`, () => nodeReady(info, NODE_NAME), timeoutMs);
    const readyAfterMs = Date.now() - startedAt;
    await waitForServiceAccount(info, 'default');
    return { info, processes, readyAfterMs, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
