// Every example manifest goes through the admission webhook, against the APIM simulator.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  EXAMPLE_USER,
  EXAMPLE_WAVES,
  exampleWave,
  installCrds,
  startWebhook,
  type RunningWebhook,
} from '../../src/index.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let namespace = '';

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator({ users: [EXAMPLE_USER] });
  webhook = await startWebhook(cluster);
  namespace = await createNamespace(cluster, 'examples-webhook', webhook.labels);
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
});

describe('the example manifests, through the admission webhook', () => {
  it.each(EXAMPLE_WAVES.map((kinds, i) => [`wave ${i + 1}: ${kinds.join(', ')}`, kinds] as const))(
    '%s apply',
    async (_label, kinds) => {
      for (const { file, object } of exampleWave(kinds, simulator.url)) {
        const result = await apply(cluster, namespace, object);
        expect(result.stderr.replace(/^Warning: .*\n/gm, ''), `${file} ${String(object['kind'])}`).toBe('');
        expect(result.code).toBe(0);
      }
    },
  );

  it('dry-ran the imports in APIM without storing anything', () => {
    const dryRuns = simulator.requests().filter((r) => r.method === 'PUT');
    expect(dryRuns.length).toBeGreaterThan(5);
    expect(dryRuns.every((r) => r.query['dryRun'] === 'true')).toBe(true);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.size).toBe(0);
  });
});
