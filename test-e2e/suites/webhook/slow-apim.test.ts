// An APIM that accepts connections and never answers: admission does not wait for it past its own
// deadline. The context and the API are admitted with a warning saying APIM could not check them,
// well inside the webhook's timeout (10 s), instead of being denied when the API server gives up.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { apply, createNamespace, installCrds, startWebhook, type RunningWebhook } from '../../src/index.ts';
import { api, context } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let ns = '';

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  webhook = await startWebhook(cluster);
  ns = await createNamespace(cluster, 'slow-apim', webhook.labels);
  simulator.setFaults({ latencyMs: 120_000 });
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
});

describe('an APIM that never answers', () => {
  it('costs a warning, not a denial, and the answer comes inside the deadline', async () => {
    for (const manifest of [context('apim', simulator.url), api('orders')]) {
      const started = Date.now();
      const result = await apply(cluster, ns, manifest);
      const seconds = (Date.now() - started) / 1000;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('Warning:');
      expect(result.stderr).toMatch(/timeout/);
      expect(seconds).toBeLessThan(9);
    }
    // The calls really reached APIM (and were abandoned: none is left waiting there).
    expect(simulator.maxInFlight()).toBeGreaterThan(0);
  });
});
