// An API with a context, through its whole life, as a user sees it with kubectl and as APIM sees it
// in the simulator's request log: created and Ready, updated with exactly one write, re-applied and
// restarted with none, stopped and started, deleted.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Simulator } from '@gko/apim-simulator';
import { apply, kubectl, startOperator, waitReady, type RunningOperator } from '../../src/index.ts';
import { condition, controllerWorld, eventually, getJson, v2Api, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

const apimWrites = () => simulator.requests().filter((r) => r.method !== 'GET');
const resourceVersion = async (resource: string) =>
  (await getJson<{ metadata: { resourceVersion: string } }>(cluster, ns, resource))?.metadata.resourceVersion;

beforeAll(async () => {
  ({ simulator, operator, ns } = await controllerWorld(cluster, 'controller-api'));
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe('an ApiV4Definition with a context', () => {
  it('is created in APIM with the expected body and becomes Ready', async () => {
    simulator.clearRequests();
    expect((await apply(cluster, ns, v4Api('orders'))).code).toBe(0);
    const wait = await waitReady(cluster, ns, 'apiv4definition/orders');
    expect(wait.stderr).toBe('');
    expect(wait.code).toBe(0);

    const puts = simulator.requests().filter((r) => r.method === 'PUT' && r.path.endsWith('/apis'));
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toMatchObject({
      hrid: `${ns}-orders`,
      name: 'orders',
      type: 'PROXY',
      state: 'STARTED',
      listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }] }],
      plans: [{ hrid: 'free', name: 'Free', security: { type: 'KEY_LESS' } }],
    });
    expect(puts[0]!.caller).toBe('basic:admin');

    const api = await getJson<{ metadata: { finalizers: string[] }; status: Record<string, unknown> }>(
      cluster,
      ns,
      'apiv4definition/orders',
    );
    expect(api!.metadata.finalizers).toContain('finalizers.gravitee.io/apidefinitiondeletion');
    expect(api!.status).toMatchObject({
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
      processingStatus: 'Completed',
      plans: { free: expect.any(String) },
    });
    expect(api!.status['id']).toEqual(expect.any(String));
    const conditions = api!.status['conditions'] as { type: string; status: string; observedGeneration: number }[];
    expect(conditions.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ['Ready', 'True'],
        ['Accepted', 'True'],
        ['ResolvedRefs', 'True'],
      ]),
    );
    expect(conditions.every((c) => c.observedGeneration === 1)).toBe(true);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(`${ns}-orders`)).toBeDefined();
  });

  it('is updated with exactly one APIM write; the same manifest again changes nothing', async () => {
    simulator.clearRequests();
    expect((await apply(cluster, ns, v4Api('orders', { description: 'All the orders' }))).code).toBe(0);
    await eventually(
      'the update in APIM',
      () =>
        simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(`${ns}-orders`)?.description === 'All the orders',
    );
    expect((await waitReady(cluster, ns, 'apiv4definition/orders')).code).toBe(0);
    // Give a second write, if any were coming, time to happen.
    await new Promise((r) => setTimeout(r, 1500));
    expect(apimWrites()).toHaveLength(1);

    simulator.clearRequests();
    const before = await resourceVersion('apiv4definition/orders');
    // kubectl may still send a patch (lists holding server defaults differ from the manifest's), but
    // the stored object must not change.
    expect((await apply(cluster, ns, v4Api('orders', { description: 'All the orders' }))).code).toBe(0);
    await new Promise((r) => setTimeout(r, 2000));
    expect(simulator.requests()).toEqual([]);
    expect(await resourceVersion('apiv4definition/orders')).toBe(before);
  });

  it('is not written again after a restart of the controller', async () => {
    const before = await resourceVersion('apiv4definition/orders');
    await operator.stop();
    simulator.clearRequests();
    operator = await startOperator(cluster, { env: { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: ns } });
    await eventually(
      'a reconcile of every API',
      async () => (await operator.metric('gko_controller_reconciles_total', { kind: 'ApiV4Definition' })) >= 1,
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(simulator.requests()).toEqual([]);
    expect(await resourceVersion('apiv4definition/orders')).toBe(before);
  });

  it('follows STOPPED and STARTED in APIM', async () => {
    expect((await apply(cluster, ns, v4Api('orders', { description: 'All the orders', state: 'STOPPED' }))).code).toBe(
      0,
    );
    await eventually(
      'the API stopped in APIM',
      () => simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(`${ns}-orders`)?.state === 'STOPPED',
    );
    await eventually(
      'status.state STOPPED',
      async () =>
        (await getJson<{ status: { state: string } }>(cluster, ns, 'apiv4definition/orders'))?.status.state ===
        'STOPPED',
    );
    expect((await apply(cluster, ns, v4Api('orders', { description: 'All the orders', state: 'STARTED' }))).code).toBe(
      0,
    );
    await eventually(
      'the API started in APIM',
      () => simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(`${ns}-orders`)?.state === 'STARTED',
    );
  });

  it('is deleted from APIM, and its finalizer released', async () => {
    simulator.clearRequests();
    expect((await kubectl(cluster, ['delete', 'apiv4definition', 'orders', '-n', ns, '--timeout=30s'])).code).toBe(0);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-orders`)).toBe(false);
    expect(
      simulator
        .requests()
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path),
    ).toEqual([`/automation/organizations/DEFAULT/environments/DEFAULT/apis/${ns}-orders`]);
  });

  it('deletes cleanly when its APIM copy is already gone', async () => {
    expect((await apply(cluster, ns, v4Api('ghost'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/ghost')).code).toBe(0);
    simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.delete(`${ns}-ghost`);
    expect((await kubectl(cluster, ['delete', 'apiv4definition', 'ghost', '-n', ns, '--timeout=30s'])).code).toBe(0);
    expect(await getJson(cluster, ns, 'apiv4definition/ghost')).toBeUndefined();
  });
});

describe('an ApiDefinition (v2) with a context', () => {
  it('is imported into APIM, Ready, and deleted from APIM', async () => {
    simulator.clearRequests();
    expect((await apply(cluster, ns, v2Api('legacy'))).stderr).toBe('');
    expect((await waitReady(cluster, ns, 'apidefinition/legacy')).code).toBe(0);
    const imports = simulator.requests().filter((r) => r.path.endsWith('/apis/import-crd'));
    expect(imports).toHaveLength(1);
    expect(imports[0]!.body).toMatchObject({ name: 'legacy', proxy: { virtual_hosts: [{ path: '/legacy' }] } });
    const id = (await getJson<{ status: { id: string } }>(cluster, ns, 'apidefinition/legacy'))!.status.id;
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.v2Apis.has(id)).toBe(true);

    expect((await kubectl(cluster, ['delete', 'apidefinition', 'legacy', '-n', ns, '--timeout=30s'])).code).toBe(0);
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.v2Apis.has(id)).toBe(false);
  });
});

describe('an API without a context', () => {
  it('with the default syncFrom is not Ready, and says why', async () => {
    const spec = v4Api('nowhere');
    delete spec.spec['contextRef'];
    expect((await apply(cluster, ns, spec)).code).toBe(0);
    const ready = await eventually('a verdict', () => condition(cluster, ns, 'apiv4definition/nowhere'));
    expect(ready).toMatchObject({ status: 'False', reason: 'NoDeploymentTarget' });
    expect(ready.message).toContain('syncFrom: KUBERNETES');
  });
});
