// The operator program running the webhook and the controllers in one process, sharing one cache, as
// it ships (built as JavaScript): an invalid API is denied at apply time, a valid one is admitted and
// synchronised to APIM. Every metric the chart's alerts and Grafana dashboard use is one it exposes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { apply, installCrds, kubectlOk, startWebhook, waitReady, type RunningWebhook } from '../../src/index.ts';
import { readyContext, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
const ns = `one-process-${Date.now().toString(36)}`;
let simulator: Simulator;
let operator: RunningWebhook;

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  operator = await startWebhook(cluster, { program: 'operator', form: 'javascript', env: { NAMESPACE: ns } });
  await kubectlOk(cluster, ['create', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: operator.labels } }),
  });
  await readyContext(cluster, ns, simulator.url);
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe('the webhook and the controllers in one process', () => {
  it('deny an invalid API and synchronise a valid one', async () => {
    const denied = await apply(cluster, ns, v4Api('planless', { plans: {} }));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('spec.plans: a started API needs at least one plan');

    expect((await apply(cluster, ns, v4Api('served'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/served')).code).toBe(0);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-served`)).toBe(true);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-planless`)).toBe(false);
  });

  it("exposes every metric the chart's alerts and Grafana dashboard use", async () => {
    const exposed = new Set(
      [...(await (await fetch(`${operator.metricsUrl}/metrics`)).text()).matchAll(/^# HELP (\w+) /gm)].map(
        (m) => m[1]!,
      ),
    );
    const chart = join(import.meta.dirname, '..', '..', '..', 'charts', 'gko');
    const used = new Set(
      ['templates/monitoring.yaml', 'dashboards/gko-operator.json'].flatMap((file) =>
        [...readFileSync(join(chart, file), 'utf8').matchAll(/\bgko_\w+/g)].map((m) => m[0]),
      ),
    );
    expect(used.size).toBeGreaterThan(8);
    // A histogram is exposed as <name>_bucket, _sum and _count.
    const missing = [...used].filter(
      (name) => !exposed.has(name) && !exposed.has(name.replace(/_(bucket|sum|count)$/, '')),
    );
    expect(missing).toEqual([]);
  });
});
