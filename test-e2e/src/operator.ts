// The operator program (controllers, optionally the webhook) run as in a cluster: its own process, a
// user with only the permissions the controllers need, metrics and probes on ports of its own.
import { controllerRbacRules, ingressControllerRbacRules } from '@gko/controller';
import { RECOMMENDED_NODE_OPTIONS } from '@gko/operator';
import { writeUserKubeconfig, type ControlPlaneInfo } from './control-plane.ts';
import { kubectl, kubectlOk } from './kubectl.ts';
import { freePorts } from './ports.ts';
import { get, metricValue } from './probe.ts';
import { logTail, startProcess, waitUntilReady, type ManagedProcess } from './processes.ts';
import { programArgs, type ProgramForm } from './programs.ts';
import { attachRun } from './run-registry.ts';

export interface RunningOperator {
  name: string;
  process: ManagedProcess;
  metricsUrl: string;
  /** The Prometheus value of a metric (summed over the series matching every given label). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  logs(lines?: number): Promise<string>;
  /** SIGTERM (graceful) or SIGKILL. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/** A user bound to the controllers' ClusterRole (created once per cluster and name). */
/** A user with the controllers' rights (and the Ingress controller's, with `ingress`), and its kubeconfig. */
export async function operatorUser(cluster: ControlPlaneInfo, user: string, ingress = false): Promise<string> {
  const rbac = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: user },
      rules: [...controllerRbacRules(), ...(ingress ? ingressControllerRbacRules() : [])],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: user },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: user },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ];
  await kubectlOk(cluster, ['apply', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: rbac }),
  });
  return writeUserKubeconfig(cluster, user);
}

export async function startOperator(
  cluster: ControlPlaneInfo,
  options: {
    name?: string;
    env?: Record<string, string>;
    args?: string[];
    kubeconfig?: string;
    /** Run the program built as JavaScript (see buildJavaScript) rather than from its sources. */
    form?: ProgramForm;
  } = {},
): Promise<RunningOperator> {
  const name = options.name ?? `operator-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const run = attachRun(cluster.runDir);
  const ingress = options.env?.['ENABLE_INGRESS'] === 'true';
  const kubeconfig = options.kubeconfig ?? (await operatorUser(cluster, `gko-controller-${name}`, ingress));
  const [metricsPort, probesPort] = (await freePorts(2)) as [number, number];
  const process = await startProcess(run, {
    name,
    binary: globalThis.process.execPath,
    args: [...programArgs('operator', options.form), ...(options.args ?? ['--controllers'])],
    env: {
      KUBECONFIG: kubeconfig,
      OPS_HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      PROBES_PORT: String(probesPort),
      LOGS_LEVEL: 'debug',
      POD_NAME: name,
      POD_NAMESPACE: 'default',
      NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS,
      ...options.env,
    },
  });
  const metricsUrl = `http://127.0.0.1:${metricsPort}`;
  const probe = options.env?.['ENABLE_LEADER_ELECTION'] === 'true' ? 'healthz' : 'readyz';
  await waitUntilReady(
    process,
    async () => (await get(`http://127.0.0.1:${probesPort}/${probe}`)).status === 200,
    60_000,
  );
  return {
    name,
    process,
    metricsUrl,
    metric: (metricName, labels = {}) => metricValue(metricsUrl, metricName, labels),
    logs: (lines = 200) => logTail(process, lines),
    async stop(signal = 'SIGTERM') {
      if (signal === 'SIGKILL') {
        globalThis.process.kill(process.pid, 'SIGKILL');
        await process.exited;
      }
      await process.stop(30_000);
    },
  };
}

/** Waits until the object's Ready condition is True for its current generation (kubectl wait). */
export async function waitReady(cluster: ControlPlaneInfo, namespace: string, resource: string, timeout = '60s') {
  return kubectl(cluster, ['wait', '--for=condition=Ready', `--timeout=${timeout}`, '-n', namespace, resource]);
}
