// Every example manifest goes through the admission webhook, against the APIM simulator.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_VERSION } from '@gko/api';
import { examples } from '@gko/api/corpus';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  applyEventually,
  createNamespace,
  installCrds,
  startWebhook,
  type RunningWebhook,
} from '../../src/index.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let namespace = '';

// What must exist before what: contexts, then what APIs use, then APIs and applications, then subscriptions.
const WAVES = [
  ['Secret', 'ConfigMap', 'ManagementContext'],
  ['ApiResource', 'SharedPolicyGroup', 'Group', 'Notification', 'Dictionary'],
  ['ApiDefinition', 'ApiV4Definition', 'Application'],
  ['Subscription'],
];
const objects = examples().flatMap(({ file, objects: docs }) => docs.map((object) => ({ file, object })));

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator({ users: [{ username: 'platform-bot', password: 'change-me' }] });
  webhook = await startWebhook(cluster);
  namespace = await createNamespace(cluster, 'examples-webhook', webhook.labels);
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
});

describe('the example manifests, through the admission webhook', () => {
  it.each(WAVES.map((kinds, i) => [`wave ${i + 1}: ${kinds.join(', ')}`, kinds] as const))(
    '%s apply',
    async (_label, kinds) => {
      const inWave = objects.filter(({ object }) => kinds.includes(String(object['kind'])));
      inWave.sort((a, b) => kinds.indexOf(String(a.object['kind'])) - kinds.indexOf(String(b.object['kind'])));
      for (const { file, object } of inWave) {
        // The context the examples share points to the simulator here.
        const manifest =
          object['apiVersion'] === API_VERSION &&
          object['kind'] === 'ManagementContext' &&
          (object['metadata'] as { name: string }).name === 'apim'
            ? { ...object, spec: { ...(object['spec'] as object), baseUrl: simulator.url } }
            : object;
        const result = await applyEventually(() => apply(cluster, namespace, manifest));
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
