// Benchmarks of the controllers against a real control plane (and the APIM simulator), written as
// JSON to .bench/controller.json. Not timed tests: each number is measured next to a floor taken in
// the same run, on the same machine.
//   node test-e2e/bench/controller.ts [--apis 1000] [--idle-seconds 120] [--memory-apis 5000] [--only local,one-process,apim,idle,memory,webhook]
//
// - local:  1,000 local-mode v4 APIs applied at once, until all Ready; the floor is a plain client
//           creating the same APIs and writing the same 1,000 ConfigMaps and 1,000 status updates.
// - one-process: the same, 16 at a time, through the webhook (registered with the API server) with
//           the controllers in the same process, as upstream runs; its floor at 16 at a time.
// - apim:   1,000 APIs with a context, APIM answering in 50 ms: all Ready, APIM concurrency within
//           the configured bound.
// - idle:   100 synced APIs left alone (drift repair off, resync from the cache every 20 s): no APIM
//           call, no API-server write; then drift repair on: reads only, spread over the period.
// - memory: resident memory of the controllers with 5,000 APIs and 5,000 unrelated Secrets.
// - webhook: the webhook program alone, idle for a minute with 100 APIs and 5,000 unrelated Secrets
//           in the cluster: resident memory and CPU.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { apiRequest, loadKubeConnection } from '@gko/kube';
import { RECOMMENDED_NODE_OPTIONS } from '@gko/operator';
import {
  apimApi,
  applyContext,
  cpuSeconds,
  create,
  createApis,
  gatewayConfigMap,
  createUnrelatedSecrets,
  localApi,
  pool,
  rssMiB,
  syncedStatus,
  untilReady,
  V4,
} from './support.ts';

import {
  createNamespace,
  installCrds,
  kubectlOk,
  metricValue,
  repoRoot,
  startControlPlane,
  startOperator,
  startWebhook,
  type ControlPlaneInfo,
  type RunningOperator,
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    apis: { type: 'string', default: '1000' },
    'idle-apis': { type: 'string', default: '100' },
    'idle-seconds': { type: 'string', default: '120' },
    'memory-apis': { type: 'string', default: '5000' },
    'memory-secrets': { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
    only: { type: 'string', default: 'local,one-process,apim,idle,memory,webhook' },
    'webhook-idle-seconds': { type: 'string', default: '60' },
    out: { type: 'string', default: join(repoRoot, '.bench', 'controller.json') },
  },
});
const APIS = Number(values.apis);
const CONCURRENCY = Number(values.concurrency);
/** How a GitOps tool or kubectl applies a directory: 16 objects at a time. */
const ONE_PROCESS_CONCURRENCY = 16;
const only = new Set(values.only.split(','));

/** Everything written in a namespace shows in its objects' resourceVersions (and in new Events). */
async function writeFingerprint(info: ControlPlaneInfo, namespace: string): Promise<string> {
  return kubectlOk(info, [
    'get',
    'apiv4definitions.gravitee.io,managementcontexts.gravitee.io,configmaps,events.events.k8s.io',
    '-n',
    namespace,
    '-o',
    'jsonpath={range .items[*]}{.kind}/{.metadata.name}@{.metadata.resourceVersion} {end}',
  ]);
}

const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  settings: {
    apis: APIS,
    concurrency: CONCURRENCY,
    nodeOptions: process.env['BENCH_NODE_OPTIONS'] ?? RECOMMENDED_NODE_OPTIONS,
  },
};

const controlPlane = await startControlPlane();
const { info } = controlPlane;
const kube = await loadKubeConnection(info.kubeconfig);
/**
 * The floor of the local scenarios: a plain client doing the writes a controller cannot avoid (each
 * API, its gateway ConfigMap, one status), `concurrency` at a time, in a namespace of its own.
 */
async function localFloorMs(concurrency: number): Promise<number> {
  const floorNs = await createNamespace(info, 'bench-floor');
  const floorApis = Array.from({ length: APIS }, (_, i) => localApi(floorNs, i));
  const floorStarted = performance.now();
  const created = await createApis(kube, floorNs, floorApis, concurrency);
  await pool(floorApis, concurrency, async (o) => {
    await create(
      kube,
      `/api/v1/namespaces/${floorNs}/configmaps`,
      gatewayConfigMap(o.metadata.name, {
        definition: JSON.stringify(o.spec),
        organizationId: 'DEFAULT',
        environmentId: 'DEFAULT',
        apiDefinitionVersion: '4.0.0',
      }),
    );
    const stored = created.get(o.metadata.name);
    await apiRequest(kube, {
      method: 'PUT',
      path: `${V4}/namespaces/${floorNs}/apiv4definitions/${o.metadata.name}/status`,
      body: { ...stored, status: syncedStatus() },
    });
  });
  return performance.now() - floorStarted;
}

const operators: RunningOperator[] = [];
let simulator: Simulator | undefined;
const operatorEnv = (namespace: string, extra: Record<string, string> = {}) => ({
  NAMESPACE: namespace,
  LOGS_LEVEL: 'warn',
  // The harness runs the operator with RECOMMENDED_NODE_OPTIONS; BENCH_NODE_OPTIONS tries others.
  ...(process.env['BENCH_NODE_OPTIONS'] !== undefined ? { NODE_OPTIONS: process.env['BENCH_NODE_OPTIONS'] } : {}),
  MAX_CONCURRENT_RECONCILES: String(CONCURRENCY),
  ...extra,
});

try {
  await installCrds(info);

  if (only.has('local')) {
    const floorMs = await localFloorMs(CONCURRENCY);
    const ns = await createNamespace(info, 'bench-local');
    const operator = await startOperator(info, {
      form: 'javascript',
      env: operatorEnv(ns, { DRIFT_REPAIR_PERIOD_SECONDS: '0' }),
    });
    operators.push(operator);
    const started = performance.now();
    await createApis(
      kube,
      ns,
      Array.from({ length: APIS }, (_, i) => localApi(ns, i)),
      CONCURRENCY,
    );
    await untilReady(kube, ns, APIS, 600_000);
    const operatorMs = performance.now() - started;
    results['local'] = {
      apis: APIS,
      floorSeconds: Math.round(floorMs) / 1000,
      operatorSeconds: Math.round(operatorMs) / 1000,
      ratio: Math.round((operatorMs / floorMs) * 100) / 100,
      target: 1.5,
      operatorRssMiB: await rssMiB(operator.process.pid),
    };
    console.log('local', JSON.stringify(results['local']));
    await operator.stop();
  }

  if (only.has('one-process')) {
    // The shape upstream runs: the webhook and the controllers in one process, every create admitted
    // by the webhook (over TLS, as the API server calls it), 16 at a time, with the program's defaults.
    const floorMs = await localFloorMs(ONE_PROCESS_CONCURRENCY);
    // Its own namespace only, as the other scenarios: the floor's APIs are not its to reconcile.
    const ns = await createNamespace(info, 'bench-one-process');
    const program = await startWebhook(info, {
      program: 'operator',
      form: 'javascript',
      env: { LOGS_LEVEL: 'warn', NAMESPACE: ns },
    });
    await kubectlOk(info, ['label', 'namespace', ns, ...Object.entries(program.labels).map(([k, v]) => `${k}=${v}`)]);
    const started = performance.now();
    await createApis(
      kube,
      ns,
      Array.from({ length: APIS }, (_, i) => localApi(ns, i)),
      ONE_PROCESS_CONCURRENCY,
    );
    const createdMs = performance.now() - started;
    await untilReady(kube, ns, APIS, 600_000);
    const operatorMs = performance.now() - started;
    const admitted = await metricValue(program.metricsUrl, 'gko_admission_requests_total');
    const admissionSeconds = await metricValue(program.metricsUrl, 'gko_admission_duration_seconds_sum');
    results['oneProcess'] = {
      apis: APIS,
      concurrency: ONE_PROCESS_CONCURRENCY,
      floorSeconds: Math.round(floorMs) / 1000,
      operatorSeconds: Math.round(operatorMs) / 1000,
      ratio: Math.round((operatorMs / floorMs) * 100) / 100,
      target: 1.5,
      createdSeconds: Math.round(createdMs) / 1000,
      admissionRequests: admitted,
      admissionMeanMs: Math.round((admissionSeconds / admitted) * 1e6) / 1000,
      rssMiB: await rssMiB(program.process.pid),
    };
    console.log('one-process', JSON.stringify(results['oneProcess']));
    await program.stop();
  }

  if (only.has('apim') || only.has('idle')) simulator = await startSimulator();

  if (only.has('apim') && simulator) {
    const ns = await createNamespace(info, 'bench-apim');
    const bound = 8;
    await applyContext(info, ns, simulator.url);
    const operator = await startOperator(info, {
      form: 'javascript',
      env: operatorEnv(ns, {
        DRIFT_REPAIR_PERIOD_SECONDS: '0',
        HTTP_CLIENT_MAX_CONCURRENCY: String(bound),
        MAX_CONCURRENT_RECONCILES: '16',
      }),
    });
    operators.push(operator);
    simulator.setFaults({ latencyMs: 50 });
    simulator.resetMaxInFlight();
    const started = performance.now();
    await createApis(
      kube,
      ns,
      Array.from({ length: APIS }, (_, i) => apimApi(ns, i)),
      CONCURRENCY,
    );
    await untilReady(kube, ns, APIS, 900_000);
    const seconds = (performance.now() - started) / 1000;
    simulator.clearFaults();
    results['apim'] = {
      apis: APIS,
      apimLatencyMs: 50,
      workers: 16,
      apimConcurrencyBound: bound,
      maxApimConcurrency: simulator.maxInFlight(),
      seconds: Math.round(seconds * 1000) / 1000,
      // The bound makes this the least time possible: APIS calls of 50 ms, `bound` at a time.
      lowestPossibleSeconds: (APIS * 0.05) / bound,
      storedInApim: simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.size,
    };
    console.log('apim', JSON.stringify(results['apim']));
    await operator.stop();
  }

  if (only.has('idle') && simulator) {
    const idleApis = Number(values['idle-apis']);
    const idleMs = Number(values['idle-seconds']) * 1000;
    const ns = await createNamespace(info, 'bench-idle');
    await applyContext(info, ns, simulator.url);
    const measure = async (driftSeconds: number) => {
      const operator = await startOperator(info, {
        form: 'javascript',
        env: operatorEnv(ns, { DRIFT_REPAIR_PERIOD_SECONDS: String(driftSeconds), RESYNC_PERIOD_SECONDS: '20' }),
      });
      operators.push(operator);
      await untilReady(kube, ns, idleApis, 300_000);
      await sleep(3000);
      simulator!.clearRequests();
      const before = await writeFingerprint(info, ns);
      const cpuBefore = await cpuSeconds(operator.process.pid);
      await sleep(idleMs);
      const requests = simulator!.requests();
      const after = await writeFingerprint(info, ns);
      const cpu = (await cpuSeconds(operator.process.pid)) - cpuBefore;
      const rss = await rssMiB(operator.process.pid);
      await operator.stop();
      const gets = requests.filter((r) => r.method === 'GET').length;
      return {
        idleSeconds: idleMs / 1000,
        driftPeriodSeconds: driftSeconds,
        apimCalls: requests.length,
        apimReads: gets,
        apimWrites: requests.length - gets,
        apiServerWrites: before === after ? 0 : 'some objects changed',
        cpuPercentOfOneCore: Math.round((cpu / (idleMs / 1000)) * 10000) / 100,
        rssMiB: rss,
      };
    };
    await createApis(
      kube,
      ns,
      Array.from({ length: idleApis }, (_, i) => apimApi(ns, i, 'idle')),
      CONCURRENCY,
    );
    const off = await measure(0);
    // With drift repair on, one period within the idle time: every API read once, spread out.
    const period = Math.max(10, Math.floor(Number(values['idle-seconds']) / 2));
    const on = await measure(period);
    results['idle'] = { apis: idleApis, driftOff: off, driftOn: { ...on, expectedReadsPerPeriod: idleApis } };
    console.log('idle', JSON.stringify(results['idle']));
  }

  if (only.has('webhook')) {
    // The webhook alone, idle, in a cluster holding Secrets it has nothing to do with (before the
    // memory scenario fills the cluster with 5,000 APIs, which the webhook would cache).
    const secrets = Number(values['memory-secrets']);
    const apis = 100;
    const idleMs = Number(values['webhook-idle-seconds']) * 1000;
    const ns = await createNamespace(info, 'bench-webhook');
    await createUnrelatedSecrets(kube, ns, secrets, CONCURRENCY);
    await createApis(
      kube,
      ns,
      Array.from({ length: apis }, (_, i) => localApi(ns, i)),
      CONCURRENCY,
    );
    const webhook = await startWebhook(info, { form: 'javascript', env: { NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS } });
    await sleep(10_000);
    const cpuBefore = await cpuSeconds(webhook.process.pid);
    await sleep(idleMs);
    const cpu = (await cpuSeconds(webhook.process.pid)) - cpuBefore;
    results['webhookIdle'] = {
      unrelatedSecrets: secrets,
      apis,
      idleSeconds: idleMs / 1000,
      cpuPercentOfOneCore: Math.round((cpu / (idleMs / 1000)) * 10000) / 100,
      rssMiB: await rssMiB(webhook.process.pid),
      // Watches the informers had to give up for silence (a dead connection looks the same).
      silentWatchRestarts: (await webhook.logs()).split('\n').filter((l) => l.includes('watch silent')).length,
      targetRssMiB: 100,
      targetCpuPercentOfOneCore: 0.3,
    };
    console.log('webhookIdle', JSON.stringify(results['webhookIdle']));
    await webhook.stop();
  }

  if (only.has('memory')) {
    const count = Number(values['memory-apis']);
    const secrets = Number(values['memory-secrets']);
    const ns = await createNamespace(info, 'bench-memory');
    await createUnrelatedSecrets(kube, ns, secrets, CONCURRENCY);
    await createApis(
      kube,
      ns,
      Array.from({ length: count }, (_, i) => localApi(ns, i)),
      CONCURRENCY,
    );
    const operator = await startOperator(info, {
      form: 'javascript',
      env: operatorEnv(ns, { DRIFT_REPAIR_PERIOD_SECONDS: '0' }),
    });
    operators.push(operator);
    const started = performance.now();
    await untilReady(kube, ns, count, 1_800_000);
    const syncSeconds = (performance.now() - started) / 1000;
    const peak = await rssMiB(operator.process.pid);
    await sleep(10_000);
    results['memory'] = {
      apis: count,
      unrelatedSecrets: secrets,
      secondsToAllReady: Math.round(syncSeconds * 10) / 10,
      rssMiBWhenAllReady: peak,
      rssMiBSettled: await rssMiB(operator.process.pid),
      targetMiB: 200,
    };
    console.log('memory', JSON.stringify(results['memory']));
    await operator.stop();
  }
} finally {
  for (const o of operators) await o.stop().catch(() => undefined);
  await simulator?.stop();
  await controlPlane.stop();
}

// A run of some scenarios (--only) keeps the others' results from earlier runs.
await mkdir(dirname(values.out), { recursive: true });
const earlier = (await readFile(values.out, 'utf8').then(JSON.parse, () => ({}))) as Record<string, unknown>;
await writeFile(values.out, `${JSON.stringify({ ...earlier, ...results }, null, 2)}\n`);
console.log(`written to ${values.out}`);
