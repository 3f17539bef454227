// Context paths are compared within a namespace by default, and across the cluster when the
// webhook is started with CHECK_API_CONTEXT_PATH_CONFLICT_IN_CLUSTER. The APIs here have no context:
// they go to the gateways' ConfigMaps, so no APIM is involved.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  retryUntil,
  startWebhook,
  type RunningWebhook,
} from '../../src/index.ts';
import { api, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
const webhooks: RunningWebhook[] = [];

/** A local API (no context) listening on `path`. */
function localApi(name: string, path: string): Manifest {
  const manifest = api(name, {
    listeners: [{ type: 'HTTP', paths: [{ path }], entrypoints: [{ type: 'http-proxy' }] }],
  });
  delete (manifest['spec'] as Record<string, unknown>)['contextRef'];
  return manifest;
}

/**
 * Two namespaces served by one webhook, the first holding an API on `path`. Each test has a path of its
 * own: a cluster-wide check sees the APIs of every test.
 */
async function namespacesWithSharedPath(env: Record<string, string>, path: string): Promise<[string, string]> {
  const webhook = await startWebhook(cluster, { env });
  webhooks.push(webhook);
  const first = await createNamespace(cluster, 'paths-a', webhook.labels);
  const second = await createNamespace(cluster, 'paths-b', webhook.labels);
  expect((await apply(cluster, first, localApi('owner', path))).code).toBe(0);
  return [first, second];
}

beforeAll(async () => {
  await installCrds(cluster);
});
afterAll(async () => {
  for (const webhook of webhooks) await webhook.stop();
});

describe('context path conflicts', () => {
  it('are looked for in the namespace only, by default', async () => {
    const [first, second] = await namespacesWithSharedPath({}, '/by-namespace');
    const sameNamespace = await retryUntil(
      () => apply(cluster, first, localApi('copy', '/by-namespace'), { dryRun: true }),
      (result) => result.code !== 0,
    );
    expect(sameNamespace.stderr).toContain(
      `context path /by-namespace/ is already used by ApiV4Definition ${first}/owner`,
    );
    const otherNamespace = await apply(cluster, second, localApi('copy', '/by-namespace'));
    expect(otherNamespace.code).toBe(0);
  });

  it('are looked for across the cluster when so configured', async () => {
    const [first, second] = await namespacesWithSharedPath(
      { CHECK_API_CONTEXT_PATH_CONFLICT_IN_CLUSTER: 'true' },
      '/cluster-wide',
    );
    const refused = await retryUntil(
      () => apply(cluster, second, localApi('copy', '/cluster-wide'), { dryRun: true }),
      (result) => result.code !== 0,
    );
    const real = await apply(cluster, second, localApi('copy', '/cluster-wide'));
    for (const result of [refused, real]) {
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`ApiV4Definition ${second}/copy`);
      expect(result.stderr).toContain(
        `spec.listeners[0].paths[0].path: context path /cluster-wide/ is already used by ApiV4Definition ${first}/owner`,
      );
    }
    expect((await kubectl(cluster, ['get', 'apiv4definition', 'copy', '-n', second])).code).not.toBe(0);
    expect((await apply(cluster, second, localApi('copy', '/elsewhere'))).code).toBe(0);
  });
});
