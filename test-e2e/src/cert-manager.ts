// cert-manager for a test cluster: its CRDs applied, then its controller (issues certificates) and
// cainjector (fills caBundle fields) started outside the cluster as processes of the control
// plane's run, with the admin kubeconfig, no leader election, and metrics and health on free
// 127.0.0.1 ports. Both binaries carry the lifeline, so they stop with the process that started
// them; the run registry stops them too if that process is killed before it can.
import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { clusterToolBinaries } from '../control-plane/cluster-tools.ts';
import type { ControlPlaneInfo } from './control-plane.ts';
import { kubectlOk, type KubectlTarget } from './kubectl.ts';
import { freePorts } from './ports.ts';
import { get } from './probe.ts';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import { attachRun } from './run-registry.ts';

export interface RunningCertManager {
  controller: ManagedProcess;
  cainjector: ManagedProcess;
  stop(): Promise<void>;
}

/** cert-manager.io_certificates.yaml -> crd/certificates.cert-manager.io (controller-gen's file names). */
function crdName(file: string): string {
  const [group, plural] = basename(file, '.yaml').split('_');
  if (!group || !plural) throw new Error(`unexpected CRD file name ${file}`);
  return `crd/${plural}.${group}`;
}

/** Applies cert-manager's CRDs (server-side, as they are too large for client-side apply) and waits until served. */
export async function installCertManagerCrds(cluster: KubectlTarget): Promise<void> {
  const { certManagerCrds } = await clusterToolBinaries();
  await kubectlOk(cluster, [
    'apply',
    '--server-side',
    '--force-conflicts',
    ...certManagerCrds.flatMap((file) => ['-f', file]),
  ]);
  await kubectlOk(cluster, ['wait', '--for=condition=Established', '--timeout=60s', ...certManagerCrds.map(crdName)]);
}

async function ready(url: string): Promise<boolean> {
  return (await get(url)).status === 200;
}

export async function startCertManager(
  info: ControlPlaneInfo,
  options: { timeoutMs?: number } = {},
): Promise<RunningCertManager> {
  const tools = await clusterToolBinaries();
  await installCertManagerCrds(info);
  const run = attachRun(info.runDir);
  const [controllerMetrics, controllerHealth, cainjectorMetrics, cainjectorHealth] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const controllerConfig = join(info.runDir, `cert-manager-controller-${controllerHealth}.yaml`);
  await writeFile(
    controllerConfig,
    JSON.stringify({
      apiVersion: 'controller.config.cert-manager.io/v1alpha1',
      kind: 'ControllerConfiguration',
      kubeConfig: info.kubeconfig,
      leaderElectionConfig: { enabled: false },
      metricsListenAddress: `127.0.0.1:${controllerMetrics}`,
      healthzListenAddress: `127.0.0.1:${controllerHealth}`,
    }),
  );
  const cainjectorConfig = join(info.runDir, `cert-manager-cainjector-${cainjectorHealth}.yaml`);
  await writeFile(
    cainjectorConfig,
    JSON.stringify({
      apiVersion: 'cainjector.config.cert-manager.io/v1alpha1',
      kind: 'CAInjectorConfiguration',
      kubeConfig: info.kubeconfig,
      leaderElectionConfig: { enabled: false },
      metricsListenAddress: `127.0.0.1:${cainjectorMetrics}`,
    }),
  );

  const started: ManagedProcess[] = [];
  const stop = async () => {
    for (const process of started.reverse()) await process.stop();
  };
  try {
    const controller = await startProcess(run, {
      name: `cert-manager-controller-${controllerHealth}`,
      binary: tools.certManagerController,
      args: [`--config=${controllerConfig}`],
    });
    started.push(controller);
    const cainjector = await startProcess(run, {
      name: `cert-manager-cainjector-${cainjectorHealth}`,
      binary: tools.certManagerCainjector,
      args: [`--config=${cainjectorConfig}`, `--health-probe-bind-address=127.0.0.1:${cainjectorHealth}`],
    });
    started.push(cainjector);
    // Both answer /readyz once their informer caches have synced, i.e. once they act on what tests create.
    const timeoutMs = options.timeoutMs ?? 60_000;
    await Promise.all([
      waitUntilReady(controller, () => ready(`http://127.0.0.1:${controllerHealth}/readyz`), timeoutMs),
      waitUntilReady(cainjector, () => ready(`http://127.0.0.1:${cainjectorHealth}/readyz`), timeoutMs),
    ]);
    return { controller, cainjector, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
