// The management policies a user sets per object with annotations, end to end against the APIM
// simulator: paused (nothing sent while a change is made, one write once resumed), deletion policy
// orphan (the APIM object stays after the delete), drift report (a console edit reported, not
// undone, and counted), observe (an API made in the console read into the status, nothing written).
// Then Argo CD's health check of our kinds, run by Lua 5.1 (Argo CD's version) on objects in each state.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { EnvironmentState } from '@gko/apim-simulator';
import { apply, kubectl, kubectlOk, waitReady } from '../../src/index.ts';
import {
  condition,
  context,
  controllerWorld,
  eventually,
  events,
  getJson,
  v4Api,
  type ControllerWorld,
} from './fixtures.ts';

const cluster = inject('controlPlane');
const PERIOD_SECONDS = 2;
let world: ControllerWorld;

const env = (): EnvironmentState => world.simulator.state.environment('DEFAULT', 'DEFAULT')!;
const writes = () => world.simulator.requests().filter((r) => r.method !== 'GET');
const annotate = (resource: string, ...pairs: string[]) =>
  kubectlOk(cluster, ['annotate', resource, '-n', world.ns, '--overwrite', ...pairs]);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  world = await controllerWorld(cluster, 'controller-policies', {
    env: { DRIFT_REPAIR_PERIOD_SECONDS: String(PERIOD_SECONDS) },
  });
});
afterAll(async () => {
  await world?.operator.stop();
  await world?.simulator.stop();
});

describe('gravitee.io/reconcile: paused', () => {
  it('sends nothing while paused, whatever changes, and one write once the annotation goes', async () => {
    const { ns } = world;
    expect((await apply(cluster, ns, v4Api('held'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/held')).code).toBe(0);
    await annotate('apiv4definition/held', 'gravitee.io/reconcile=paused');
    const paused = await eventually('Ready=False Paused', async () => {
      const ready = await condition(cluster, ns, 'apiv4definition/held');
      return ready?.reason === 'Paused' ? ready : undefined;
    });
    expect(paused.status).toBe('False');
    world.simulator.clearRequests();
    expect(
      (
        await apply(cluster, ns, {
          ...v4Api('held', { description: 'changed while paused' }),
          metadata: { name: 'held', annotations: { 'gravitee.io/reconcile': 'paused' } },
        })
      ).code,
    ).toBe(0);
    await pause((PERIOD_SECONDS + 1) * 1000);
    expect(world.simulator.requests()).toEqual([]);
    expect(env().apis.get(`${ns}-held`)!.description).toBeUndefined();

    await annotate('apiv4definition/held', 'gravitee.io/reconcile-');
    await eventually('the change in APIM', () => env().apis.get(`${ns}-held`)?.description === 'changed while paused');
    expect((await waitReady(cluster, ns, 'apiv4definition/held')).code).toBe(0);
    await pause(1_000);
    expect(writes().map((r) => `${r.method} ${r.path.split('/environments/DEFAULT')[1]}`)).toEqual(['PUT /apis']);
  });
});

describe('gravitee.io/deletion-policy: orphan', () => {
  it('leaves the APIM object in place when the custom resource is deleted, and says so', async () => {
    const { ns } = world;
    const kept = {
      ...v4Api('kept'),
      metadata: { name: 'kept', annotations: { 'gravitee.io/deletion-policy': 'orphan' } },
    };
    expect((await apply(cluster, ns, kept)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/kept')).code).toBe(0);
    world.simulator.clearRequests();
    expect((await kubectl(cluster, ['delete', 'apiv4definition/kept', '-n', ns, '--timeout=30s'])).code).toBe(0);
    expect(await getJson(cluster, ns, 'apiv4definition/kept')).toBeUndefined();
    expect(env().apis.has(`${ns}-kept`)).toBe(true);
    expect(writes()).toEqual([]);
    const orphaned = await eventually('an Orphaned event', async () =>
      (await events(cluster, ns, 'kept')).find((e) => e.reason === 'Orphaned'),
    );
    expect(orphaned.note).toContain('gravitee.io/deletion-policy: orphan');
  });
});

describe('gravitee.io/drift: report', () => {
  it('reports a console edit in the status, an event and the metric, and leaves it in APIM', async () => {
    const { ns } = world;
    const watched = {
      ...v4Api('watched'),
      metadata: { name: 'watched', annotations: { 'gravitee.io/drift': 'report' } },
    };
    expect((await apply(cluster, ns, watched)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/watched')).code).toBe(0);
    world.simulator.edit('apis', `${ns}-watched`, { name: 'renamed in the console' });
    const drifted = await eventually(
      'Drifted=True',
      async () => {
        const found = await condition(cluster, ns, 'apiv4definition/watched', 'Drifted');
        return found?.status === 'True' ? found : undefined;
      },
      (PERIOD_SECONDS * 3 + 5) * 1000,
    );
    expect(drifted.message).toContain('name');
    await pause((PERIOD_SECONDS * 2 + 1) * 1000);
    expect(env().apis.get(`${ns}-watched`)!.name).toBe('renamed in the console');
    expect((await events(cluster, ns, 'watched')).filter((e) => e.reason === 'DriftDetected')).toHaveLength(1);
    expect(await world.operator.metric('gko_drift_detected_total', { kind: 'ApiV4Definition' })).toBe(1);
    expect((await condition(cluster, ns, 'apiv4definition/watched'))?.status).toBe('True');
  });
});

describe('gravitee.io/reconcile: observe', () => {
  it('reads an API made in the console into the status, writing nothing, holding no finalizer', async () => {
    const { ns } = world;
    // Made in APIM by someone else, under the HRID the custom resource will have.
    const made = await fetch(`${world.simulator.url}/automation/organizations/DEFAULT/environments/DEFAULT/apis`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      },
      body: JSON.stringify({
        hrid: `${ns}-console-made`,
        name: 'Console made',
        version: '3.0',
        type: 'PROXY',
        lifecycleState: 'PUBLISHED',
        listeners: [{ type: 'HTTP', paths: [{ path: '/console-made' }], entrypoints: [{ type: 'http-proxy' }] }],
        endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
        plans: [
          {
            hrid: 'free',
            name: 'Free',
            type: 'API',
            status: 'PUBLISHED',
            security: { type: 'KEY_LESS' },
            mode: 'STANDARD',
            validation: 'AUTO',
          },
        ],
      }),
    });
    expect(made.status, await made.clone().text()).toBe(200);
    const state = (await made.json()) as { id: string };
    world.simulator.clearRequests();
    const observed = {
      ...v4Api('console-made', { name: 'Taken over later', version: '4.0' }),
      metadata: { name: 'console-made', annotations: { 'gravitee.io/reconcile': 'observe' } },
    };
    expect((await apply(cluster, ns, observed)).code).toBe(0);
    const ready = await eventually('Ready=True Observed', async () => {
      const found = await condition(cluster, ns, 'apiv4definition/console-made');
      return found?.reason === 'Observed' ? found : undefined;
    });
    expect(ready.status).toBe('True');
    const object = await getJson<{
      metadata: { finalizers?: string[] };
      status: { id: string; plans: Record<string, string> };
    }>(cluster, ns, 'apiv4definition/console-made');
    expect(object!.status.id).toBe(state.id);
    expect(Object.keys(object!.status.plans)).toEqual(['free']);
    expect(object!.metadata.finalizers ?? []).toEqual([]);
    expect(writes()).toEqual([]);
    expect(env().apis.get(`${ns}-console-made`)).toMatchObject({ name: 'Console made', version: '3.0' });
  });
});

/** A JSON value as a Lua table constructor, as Argo CD hands the object to its health scripts. */
function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  // Lua 5.1 strings: quotes, backslashes and control characters as three-digit decimal escapes (a
  // shorter one would run into a following digit); the rest as is.
  if (typeof value === 'string')
    return `"${[...value].map((c) => (c === '"' || c === '\\' || c < ' ' ? `\\${String(c.charCodeAt(0)).padStart(3, '0')}` : c)).join('')}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{${value.map(toLua).join(',')}}`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `[${JSON.stringify(key)}]=${toLua(item)}`)
    .join(',')}}`;
}

const HEALTH_LUA = join(import.meta.dirname, '..', '..', '..', 'charts', 'gko', 'docs', 'argocd', 'health.lua');

async function argoHealth(resource: string): Promise<{ status: string; message: string }> {
  const object = await getJson(cluster, world.ns, resource);
  const program = `obj = ${toLua(object)}\nlocal hs = dofile(${JSON.stringify(HEALTH_LUA)})\nio.write(hs.status, "\\n", hs.message)`;
  // Lua 5.1: what Argo CD runs its health scripts with (gopher-lua).
  const { stdout } = await promisify(execFile)('lua5.1', ['-e', program]);
  const [status = '', ...message] = stdout.split('\n');
  return { status, message: message.join('\n') };
}

describe("Argo CD's health check (charts/gko/docs/argocd/health.lua)", () => {
  it('says Healthy, Progressing, Degraded and Suspended for objects in those states', async () => {
    const { ns } = world;
    expect((await apply(cluster, ns, v4Api('healthy'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/healthy')).code).toBe(0);
    expect(await argoHealth('apiv4definition/healthy')).toMatchObject({ status: 'Healthy' });

    // APIM unreachable: retried with backoff.
    expect((await apply(cluster, ns, context('nowhere', 'http://127.0.0.1:1'))).code).toBe(0);
    expect((await apply(cluster, ns, v4Api('unreachable', { contextRef: { name: 'nowhere' } }))).code).toBe(0);
    await eventually(
      'Reconciling=True',
      async () => (await condition(cluster, ns, 'apiv4definition/unreachable', 'Reconciling'))?.status === 'True',
    );
    expect(await argoHealth('apiv4definition/unreachable')).toMatchObject({ status: 'Progressing' });

    // Deployed nowhere: refused until the object changes.
    const nowhere = v4Api('nowhere-api', { contextRef: undefined });
    expect((await apply(cluster, ns, nowhere)).code).toBe(0);
    await eventually(
      'Stalled=True',
      async () => (await condition(cluster, ns, 'apiv4definition/nowhere-api', 'Stalled'))?.status === 'True',
    );
    const degraded = await argoHealth('apiv4definition/nowhere-api');
    expect(degraded.status).toBe('Degraded');
    expect(degraded.message).toContain('NoDeploymentTarget');

    await annotate('apiv4definition/healthy', 'gravitee.io/reconcile=paused');
    await eventually(
      'Paused',
      async () => (await condition(cluster, ns, 'apiv4definition/healthy'))?.reason === 'Paused',
    );
    expect(await argoHealth('apiv4definition/healthy')).toMatchObject({ status: 'Suspended' });
  });
});
