// What the fault scenarios share: the cluster, the simulator, the secret values to look for, and the
// figures each scenario reports next to its target.
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, type KubeConnection } from '@gko/kube';
import type { Simulator } from '@gko/apim-simulator';
import { kubectlOk, type ControlPlane, type ControlPlaneInfo, type RunningOperator } from '../../src/index.ts';
import { applyContext, GV, listApis, pool } from '../support.ts';

export interface Scenario {
  controlPlane: ControlPlane;
  info: ControlPlaneInfo;
  kube: KubeConnection;
  simulator: Simulator;
  /** Values that come from Secrets: they must never show in logs, Events, statuses or metrics. */
  secrets: { password: string; token: string };
  /** Every operator started, and the metrics text each exposed before it stopped (for R6). */
  operators: RunningOperator[];
  metrics: string[];
  /** What the webhook logged (it stops before the search). */
  webhookLogs: string[];
  /** The namespaces used, for the census (R5). */
  namespaces: string[];
  apis: number;
}

/** One measured figure; `met` says whether it is within its target. */
export interface Figure {
  name: string;
  value: number | string;
  target: string;
  met: boolean;
}

export const figure = (name: string, value: number | string, target: string, met: boolean): Figure => ({
  name,
  value,
  target,
  met,
});

/** The Secret holding the credentials of the context `apim`, the context, and a Secret APIs template. */
export async function applySecrets(scenario: Scenario, namespace: string): Promise<void> {
  const secret = (name: string, stringData: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    stringData,
  });
  await kubectlOk(scenario.info, ['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        secret('apim-credentials', { username: 'admin', password: scenario.secrets.password }),
        secret('api-values', { token: scenario.secrets.token }),
      ],
    }),
  });
  await applyContext(scenario.info, namespace, scenario.simulator.url, { secretRef: { name: 'apim-credentials' } });
}

/**
 * Creates the objects, at most `concurrency` at once, through any outage of the API server: a
 * create is tried again until it is answered, and one that landed before its answer was lost
 * (409 AlreadyExists) counts as done.
 */
export async function createThroughOutages(
  kube: KubeConnection,
  path: string,
  objects: unknown[],
  concurrency: number,
  onCreated: (count: number) => void = () => {},
): Promise<void> {
  let created = 0;
  await pool(objects, concurrency, async (object) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await apiRequest(kube, { method: 'POST', path, body: object, timeoutMs: 30_000 });
        break;
      } catch (error) {
        if ((error as { status?: number }).status === 409) break;
        if (attempt > 600) throw error;
        await sleep(500);
      }
    }
    onCreated(++created);
  });
}

/** Deletes the APIs named and waits until they are gone from the cluster. */
export async function deleteApis(scenario: Scenario, namespace: string, names: string[], timeoutMs = 300_000) {
  await pool(names, 8, (name) =>
    apiRequest(scenario.kube, {
      method: 'DELETE',
      path: `/apis/${GV}/namespaces/${namespace}/apiv4definitions/${name}`,
    }).catch(() => undefined),
  );
  const started = performance.now();
  const wanted = new Set(names);
  for (;;) {
    const left = (await listApis(scenario.kube, namespace)).filter((o) => wanted.has(o.metadata.name)).length;
    if (left === 0) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs)
      throw new Error(`${left} APIs still not deleted after ${timeoutMs} ms`);
    await sleep(500);
  }
}
