// R1: APIM failing while a thousand APIs are created and two hundred updated: 20% of calls answered
// 503, 10% carried out but answered too late (a timeout for the operator), 5% of connections
// dropped. Every API ends Ready, and APIM holds each exactly once, as last applied.
import { apiRequest } from '@gko/kube';
import { createNamespace, startOperator } from '../../src/index.ts';
import { api, GV, isReady, listApis, pool, untilReady } from '../support.ts';
import { applySecrets, createThroughOutages, deleteApis, figure, type Figure, type Scenario } from './scenario.ts';

export const FAULTS = { errorRate: 0.2, errorStatus: 503, lateRate: 0.1, lateMs: 3_000, dropRate: 0.05 };

export async function apimFaults(scenario: Scenario): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const { info, kube, simulator } = scenario;
  const count = scenario.apis;
  const updates = Math.round(count / 5);
  const ns = await createNamespace(info, 'faults-apim');
  scenario.namespaces.push(ns);
  await applySecrets(scenario, ns);
  const operator = await startOperator(info, {
    form: 'javascript',
    env: {
      NAMESPACE: ns,
      DRIFT_REPAIR_PERIOD_SECONDS: '0',
      HTTP_CLIENT_TIMEOUT_SECONDS: '1',
      MAX_CONCURRENT_RECONCILES: '8',
    },
  });
  scenario.operators.push(operator);
  const apis = Array.from({ length: count }, (_, i) =>
    api(ns, `flaky-${i}`, { contextRef: { name: 'apim' }, description: 'token [[ secret `api-values/token` ]]' }),
  );
  simulator.clearRequests();
  simulator.setFaults(FAULTS);
  const started = performance.now();
  await createThroughOutages(kube, `/apis/${GV}/namespaces/${ns}/apiv4definitions`, apis, 8);
  const createdSeconds = (await untilReady(kube, ns, count, 900_000)) / 1000;
  // Then a fifth of them changed, APIM still failing.
  const updated = apis.slice(0, updates).map((o) => o.metadata.name);
  await pool(updated, 8, (name) =>
    apiRequest(kube, {
      method: 'PATCH',
      path: `/apis/${GV}/namespaces/${ns}/apiv4definitions/${name}`,
      contentType: 'application/merge-patch+json',
      body: { spec: { version: '2.0' } },
    }),
  );
  const updatedSeconds = (await untilReady(kube, ns, count, 900_000)) / 1000;
  const totalSeconds = (performance.now() - started) / 1000;
  const ready = (await listApis(kube, ns)).filter(isReady).length;

  const stored = [...simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.values()].filter((a) =>
    a.hrid?.startsWith(`${ns}-`),
  );
  const expectedVersion = (hrid: string) => (updated.includes(hrid.slice(ns.length + 1)) ? '2.0' : '1.0');
  const stale = stored.filter((a) => a.version !== expectedVersion(a.hrid ?? '')).length;
  const planIds = stored.flatMap((a) => (a.plans ?? []).map((p) => (p as { id?: string }).id ?? ''));
  const calls = simulator.requests();
  const overlaps = simulator.writeOverlaps();
  const retries = await operator.metric('gko_controller_workqueue_retries_total');

  // Deleted with APIM still failing: nothing may stay behind (see the census).
  const deleted = apis.slice(count - updates).map((o) => o.metadata.name);
  const deleteSeconds = await deleteApis(scenario, ns, deleted);
  simulator.clearFaults();
  const left = [...simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.values()].filter((a) =>
    deleted.includes((a.hrid ?? '').slice(ns.length + 1)),
  ).length;
  scenario.metrics.push(await (await fetch(`${operator.metricsUrl}/metrics`)).text());

  return {
    figures: [
      figure('R1 APIs Ready after create and update under APIM faults', ready, `${count}`, ready === count),
      figure('R1 APIs in APIM (no loss, no duplicate)', stored.length, `${count}`, stored.length === count),
      figure('R1 APIs in APIM not as last applied (lost update)', stale, '0', stale === 0),
      figure(
        'R1 plans in APIM (one per API, none created twice)',
        new Set(planIds).size,
        `${count}`,
        new Set(planIds).size === count && planIds.length === count,
      ),
      figure(
        'R1 objects written by two requests at once',
        Object.keys(overlaps).length,
        '0',
        Object.keys(overlaps).length === 0,
      ),
      figure('R1 APIs deleted under faults still in APIM', left, '0', left === 0),
    ],
    details: {
      apis: count,
      updates,
      faults: FAULTS,
      secondsToReadyAfterCreate: Math.round(createdSeconds),
      secondsToReadyAfterUpdate: Math.round(updatedSeconds),
      totalSeconds: Math.round(totalSeconds),
      deleteSeconds: Math.round(deleteSeconds),
      apimCalls: calls.length,
      apimCallsFailedByFault: calls.filter((c) => c.status === 503).length,
      requeuesWithBackoff: retries,
      overlaps,
    },
  };
}
