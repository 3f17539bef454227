// `gko-operator --release-finalizers`, the chart's post-uninstall step, against a real API server:
// our finalizers go from our objects and from the Secrets holding a context's credentials, page by
// page, and everyone else's stay.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadKubeConnection, type KubeConnection } from '@gko/kube';
import { releaseFinalizers } from '@gko/operator';
import { silentLogger } from '@gko/runtime';
import { createNamespace, installCrds, kubectlOk } from '../../src/index.ts';
import { getJson } from './fixtures.ts';

const cluster = inject('controlPlane');
let connection: KubeConnection;
let ns = '';

const OURS = 'finalizers.gravitee.io/managementcontextSecret';
const THEIRS = 'example.com/keep';

beforeAll(async () => {
  await installCrds(cluster);
  ns = await createNamespace(cluster, 'release-finalizers');
  connection = await loadKubeConnection(cluster.kubeconfig);
  const secrets = Array.from({ length: 3 }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `held-${i}`, finalizers: [OURS, THEIRS] },
    stringData: { username: 'admin', password: 'admin' },
  }));
  const group = {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ops', finalizers: ['finalizers.gravitee.io/groups'] },
    spec: { name: 'ops', contextRef: { name: 'apim' }, members: [] },
  };
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...secrets, group] }),
  });
});
afterAll(async () => {
  for (let i = 0; i < 3; i++)
    await kubectlOk(cluster, [
      'patch',
      '-n',
      ns,
      `secret/held-${i}`,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":[]}}',
    ]);
  await connection?.close();
});

describe('releasing finalizers after an uninstall', () => {
  it('removes ours from our objects and the credentials Secrets, and keeps the others', async () => {
    const released = await releaseFinalizers(connection, {
      namespaces: [ns],
      lease: { namespace: ns, name: 'no-such-lease' },
      logger: silentLogger,
      // Pages of two: the list goes on with its continue token.
      pageSize: 2,
    });
    expect(released).toBe(4);
    for (let i = 0; i < 3; i++)
      expect(
        (await getJson<{ metadata: { finalizers?: string[] } }>(cluster, ns, `secret/held-${i}`))!.metadata.finalizers,
      ).toEqual([THEIRS]);
    expect(
      (await getJson<{ metadata: { finalizers?: string[] } }>(cluster, ns, 'group/ops'))!.metadata.finalizers ?? [],
    ).toEqual([]);
  });
});
