// Namespace boundaries: a ManagementContext may not send the credentials of another namespace's
// Secret anywhere. Without a grant in that Secret, the context is refused before any call, with a
// message that does not tell whether the Secret exists; with the grant, it is admitted.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { apply, createNamespace, installCrds, kubectlOk, startWebhook, type RunningWebhook } from '../../src/index.ts';
import { manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let tenant = '';
let owner = '';

const credentials = (grant?: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'apim-credentials', ...(grant ? { annotations: { 'gravitee.io/allow-reads-from': grant } } : {}) },
  stringData: { username: 'admin', password: 'admin' },
});
const contextNaming = (secret: string) =>
  manifest('ManagementContext', 'borrowed', {
    baseUrl: simulator.url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    auth: { secretRef: { name: secret, namespace: owner } },
  });

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  webhook = await startWebhook(cluster);
  tenant = await createNamespace(cluster, 'boundary-tenant', webhook.labels);
  owner = await createNamespace(cluster, 'boundary-owner', webhook.labels);
  await kubectlOk(cluster, ['apply', '-n', owner, '-f', '-'], { input: JSON.stringify(credentials()) });
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
});

describe("another namespace's Secret", () => {
  it('is not read without a grant: the context is refused, nothing is sent, and the denial does not say whether it exists', async () => {
    simulator.clearRequests();
    const existing = await apply(cluster, tenant, contextNaming('apim-credentials'));
    const missing = await apply(cluster, tenant, contextNaming('no-such-secret'));
    expect(existing.code).not.toBe(0);
    expect(existing.stderr).toContain(
      `ManagementContext ${tenant}/borrowed: spec.auth.secretRef: Secret ${owner}/apim-credentials cannot be read from namespace ${tenant}`,
    );
    expect(missing.stderr.replace('no-such-secret', 'apim-credentials')).toBe(existing.stderr);
    expect(existing.stderr).not.toContain('does not exist');
    expect(simulator.requests()).toEqual([]);
  });

  it('is read once it grants the namespace: the context is admitted, and APIM gets the credentials', async () => {
    await kubectlOk(cluster, ['apply', '-n', owner, '-f', '-'], {
      input: JSON.stringify(credentials(`other, ${tenant}`)),
    });
    // At once: the webhook reads the Secret, grant included, for the request.
    const admitted = await apply(cluster, tenant, contextNaming('apim-credentials'));
    expect(admitted.code).toBe(0);
    expect(simulator.requests().some((r) => r.caller === 'basic:admin')).toBe(true);
  });
});
