// The first `kubectl apply -f dir/` of a team: a Secret, a context reading it, a resource and an API
// using both, into an empty namespace, in one command and with no retry. Each object is checked a few
// milliseconds after the one before it was stored, before the webhook's watch may have brought it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { createNamespace, installCrds, kubectl, startWebhook, type RunningWebhook } from '../../src/index.ts';
import { api, manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let dir = '';

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  webhook = await startWebhook(cluster);
  dir = await mkdtemp(join(tmpdir(), 'first-apply-'));
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a directory applied at once', () => {
  it('is admitted the first time, each object finding the ones applied before it', async () => {
    const ns = await createNamespace(cluster, 'first-apply', webhook.labels);
    const files: [string, unknown][] = [
      [
        '1-secret.json',
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'apim-credentials' },
          stringData: { username: 'admin', password: 'admin' },
        },
      ],
      [
        '2-context.json',
        manifest('ManagementContext', 'apim', {
          baseUrl: simulator.url,
          organizationId: 'DEFAULT',
          environmentId: 'DEFAULT',
          auth: { secretRef: { name: 'apim-credentials' } },
        }),
      ],
      ['3-resource.json', manifest('ApiResource', 'cache', { name: 'cache', type: 'cache', configuration: {} })],
      ['4-api.json', api('orders', { resources: [{ ref: { name: 'cache' } }] })],
    ];
    for (const [name, object] of files) await writeFile(join(dir, name), JSON.stringify(object));
    simulator.clearRequests();
    const result = await kubectl(cluster, ['apply', '-n', ns, '-f', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apiv4definition.gravitee.io/orders created');
    // The context's credentials were read from the Secret created just before it, and used.
    expect(simulator.requests().some((r) => r.caller === 'basic:admin')).toBe(true);
  });

  it('shows in the metrics, under one prefix, with the health of its cache', async () => {
    const metrics = await (await fetch(`${webhook.metricsUrl}/metrics`)).text();
    expect(metrics).toContain('gko_process_cpu_seconds_total');
    expect(metrics).toContain('gko_cache_synced 1');
    expect(metrics).toMatch(
      /gko_admission_requests_total\{kind="ApiV4Definition",operation="CREATE",mode="validate",allowed="true"\} [1-9]/,
    );
    expect(metrics).not.toContain('gko_webhook_');
  });
});
