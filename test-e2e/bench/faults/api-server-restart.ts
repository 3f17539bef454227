// R2: kube-apiserver stopped and started again (etcd kept) in the middle of a thousand creates of
// local-mode APIs; then once more with etcd compacted meanwhile, so that every watch resumed is
// answered 410 Gone. The operator goes on by itself, everything converges, and nothing that was in
// sync before the outage is written again after it.
import { apiRequest } from '@gko/kube';
import { createNamespace, startOperator } from '../../src/index.ts';
import { GV, isReady, listApis, localApi, untilReady } from '../support.ts';
import { createThroughOutages, deleteApis, figure, type Figure, type Scenario } from './scenario.ts';

const INFORMER_MESSAGES = [
  'the API server cannot be reached; watching again from the same version',
  'resource version too old; listing again',
  'list or watch failed; listing again',
  'the watch ended as soon as it opened; waiting before the next',
];

interface ConfigMapList {
  items: { metadata: { name: string; resourceVersion: string } }[];
}

/** The resourceVersions of the APIs Ready now, and of their ConfigMaps. */
async function inSyncVersions(scenario: Scenario, ns: string): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  const ready = (await listApis(scenario.kube, ns)).filter(isReady);
  const configMaps = await apiRequest<ConfigMapList>(scenario.kube, {
    method: 'GET',
    path: `/api/v1/namespaces/${ns}/configmaps`,
    timeoutMs: 60_000,
  });
  const readyNames = new Set(ready.map((o) => o.metadata.name));
  for (const o of ready) versions.set(`api/${o.metadata.name}`, o.metadata.resourceVersion);
  for (const c of configMaps.items)
    if (readyNames.has(c.metadata.name)) versions.set(`configmap/${c.metadata.name}`, c.metadata.resourceVersion);
  return versions;
}

async function rewritten(scenario: Scenario, ns: string, before: Map<string, string>): Promise<number> {
  const after = await inSyncVersions(scenario, ns);
  return [...before].filter(([key, version]) => after.get(key) !== version).length;
}

async function round(scenario: Scenario, compact: boolean) {
  const ns = await createNamespace(scenario.info, compact ? 'faults-gone' : 'faults-restart');
  scenario.namespaces.push(ns);
  const operator = await startOperator(scenario.info, {
    form: 'javascript',
    env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0', LOGS_LEVEL: 'info' },
  });
  scenario.operators.push(operator);
  const count = scenario.apis;
  let outage: Promise<Map<string, string>> | undefined;
  const started = performance.now();
  await createThroughOutages(
    scenario.kube,
    `/apis/${GV}/namespaces/${ns}/apiv4definitions`,
    Array.from({ length: count }, (_, i) => localApi(ns, i)),
    8,
    (created) => {
      if (created !== Math.round(count * 0.3) || outage) return;
      outage = (async () => {
        const before = await inSyncVersions(scenario, ns);
        await scenario.controlPlane.restartApiServer({ downMs: 5_000, compact });
        return before;
      })();
    },
  );
  const before = await outage!;
  const seconds = (await untilReady(scenario.kube, ns, count, 600_000)) / 1000;
  // Time for anything late to land before counting what was written again.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const again = await rewritten(scenario, ns, before);
  // Some deleted, for the census: their ConfigMaps must go with them.
  const deleteSeconds = await deleteApis(
    scenario,
    ns,
    Array.from({ length: Math.round(count * 0.3) }, (_, i) => `local-${i}`),
  );
  const logs = await operator.logs(100_000);
  scenario.metrics.push(await (await fetch(`${operator.metricsUrl}/metrics`)).text());
  return {
    ns,
    seconds: Math.round(seconds),
    totalSeconds: Math.round((performance.now() - started) / 1000),
    inSyncBeforeOutage: before.size,
    writtenAgain: again,
    deleteSeconds: Math.round(deleteSeconds),
    operatorStillRunning: operator.process.isRunning(),
    // How the informers went through it, by what they logged.
    informers: Object.fromEntries(
      INFORMER_MESSAGES.map((message) => [message, logs.split('\n').filter((l) => l.includes(message)).length]),
    ),
  };
}

export async function apiServerRestart(
  scenario: Scenario,
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const restart = await round(scenario, false);
  const gone = await round(scenario, true);
  const figures: Figure[] = [];
  for (const [label, r] of [
    ['restart', restart],
    ['restart with etcd compacted', gone],
  ] as const) {
    figures.push(
      figure(
        `R2 ${label}: operator still running, without a restart of its own`,
        String(r.operatorStillRunning),
        'true',
        r.operatorStillRunning,
      ),
      figure(`R2 ${label}: objects in sync before the outage written again`, r.writtenAgain, '0', r.writtenAgain === 0),
      figure(
        `R2 ${label}: watches resumed, answered 410 Gone, and listed again`,
        r.informers['resource version too old; listing again'] ?? 0,
        '>= 1',
        (r.informers['resource version too old; listing again'] ?? 0) >= 1,
      ),
    );
  }
  return { figures, details: { apis: scenario.apis, restart, gone } };
}
