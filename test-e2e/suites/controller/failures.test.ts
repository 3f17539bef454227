// APIM failing: errors, dropped connections and answers too slow to wait for. The API says why it is
// not Ready, the retries show in the metrics, and once APIM is back the API converges, with a single
// copy in APIM.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  startOperator,
  waitReady,
  type RunningOperator,
} from '../../src/index.ts';
import { condition, eventually, readyContext, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  ns = await createNamespace(cluster, 'controller-faults');
  operator = await startOperator(cluster, {
    env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0', HTTP_CLIENT_TIMEOUT_SECONDS: '1' },
  });
  await readyContext(cluster, ns, simulator.url);
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

const FAULTS = [
  { name: '503 answers', faults: { errorRate: 1, errorStatus: 503 }, message: 'APIM answered 503' },
  // The message names the call that failed, whatever the network said.
  { name: 'dropped connections', faults: { dropRate: 1 }, message: `/environments/DEFAULT/apis` },
  { name: 'answers slower than the timeout', faults: { latencyMs: 1500 }, message: 'no answer from APIM in time' },
];

describe('an API while APIM fails', () => {
  for (const [index, { name, faults, message }] of FAULTS.entries()) {
    it(`is not Ready during ${name}, is retried with backoff, then converges with one copy in APIM`, async () => {
      const api = `flaky-${index}`;
      const retriesBefore = await operator.metric('gko_controller_workqueue_retries_total', {
        kind: 'ApiV4Definition',
      });
      simulator.setFaults({ ...faults, pathContains: `/apis` });
      expect((await apply(cluster, ns, v4Api(api))).code).toBe(0);
      const ready = await eventually('Ready=False', async () => {
        const c = await condition(cluster, ns, `apiv4definition/${api}`);
        return c?.status === 'False' && c;
      });
      expect(ready.reason).toBe('ApimUnavailable');
      expect(ready.message).toContain(message);
      await eventually(
        'a retry with backoff in the metrics',
        async () =>
          (await operator.metric('gko_controller_workqueue_retries_total', { kind: 'ApiV4Definition' })) >
          retriesBefore,
      );

      simulator.clearFaults();
      expect((await waitReady(cluster, ns, `apiv4definition/${api}`, '120s')).code).toBe(0);
      const copies = [...simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.values()].filter(
        (a) => a.name === api,
      );
      expect(copies).toHaveLength(1);
    });
  }

  it('that APIM refuses (400) is not retried until its spec changes', async () => {
    // Two plans with keys that normalise to the same HRID: APIM refuses the import.
    const refused = v4Api('refused', {
      plans: {
        'a.b': { name: 'One', security: { type: 'KEY_LESS' } },
        'a b': { name: 'Two', security: { type: 'KEY_LESS' } },
      },
    });
    expect((await apply(cluster, ns, refused)).code).toBe(0);
    const ready = await eventually('Ready=False', async () => {
      const c = await condition(cluster, ns, 'apiv4definition/refused');
      return c?.status === 'False' && c;
    });
    expect(ready.reason).toBe('ApimRejected');
    const attempts = () =>
      simulator.requests().filter((r) => r.method === 'PUT' && (r.body as { hrid?: string }).hrid === `${ns}-refused`)
        .length;
    const before = attempts();
    await new Promise((r) => setTimeout(r, 3000));
    expect(attempts()).toBe(before);

    // A change of the spec is tried at once.
    const fixed = v4Api('refused', { plans: { 'a.b': { name: 'One', security: { type: 'KEY_LESS' } } } });
    expect((await apply(cluster, ns, fixed)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/refused')).code).toBe(0);
    expect(attempts()).toBe(before + 1);
  });
});
