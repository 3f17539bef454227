// gko diff and gko validate as a pipeline runs them before a merge: the `gko` program in its own
// process, manifests in files or piped from `kubectl kustomize`, a cluster whose operator synchronised
// APIs with the APIM simulator, and that simulator's log to prove nothing but reads reached APIM.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apply, kubectlOk, repoRoot, waitReady } from '../../src/index.ts';
import { context, controllerWorld, credentials, v4Api, type ControllerWorld } from './fixtures.ts';

const cluster = inject('controlPlane');
const CLI = join(repoRoot, 'packages', 'operator', 'src', 'cli.ts');
let world: ControllerWorld;
let dir = '';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `gko ARGS` in a process of its own, with the test cluster as its kubeconfig. */
function gko(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env['PATH'] ?? '', HOME: dir, KUBECONFIG: cluster.kubeconfig }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

const file = async (name: string, objects: unknown[]) => {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  return path;
};

/** The simulator's requests since the last clear that could have changed something. */
const writes = () => world.simulator.requests().filter((r) => r.method !== 'GET' && r.query['dryRun'] !== 'true');

const changedPlan = () =>
  v4Api('orders', {
    plans: { free: { name: 'Free', description: 'Now with a description', security: { type: 'KEY_LESS' } } },
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gko-commands-'));
  world = await controllerWorld(cluster, 'controller-commands');
  expect((await apply(cluster, world.ns, v4Api('orders'))).code).toBe(0);
  expect((await waitReady(cluster, world.ns, 'apiv4definition/orders')).code).toBe(0);
});
afterAll(async () => {
  await world?.operator.stop();
  await world?.simulator.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('gko diff', () => {
  it('says no change for the manifest the cluster synchronised, and exits 0', async () => {
    const { ns, simulator } = world;
    const path = await file('same.json', [
      credentials('apim-credentials', 'admin', 'admin'),
      context('apim', simulator.url),
      v4Api('orders'),
    ]);
    simulator.clearRequests();
    const run = await gko(['diff', '--context', 'apim', '-n', ns, path]);
    expect(run.stdout).toBe(`ApiV4Definition ${ns}/orders: no change\n`);
    expect(run.stderr).toBe('1 object: 0 to create, 0 to update, 1 unchanged\n');
    expect(run.code).toBe(0);
    expect(simulator.requests().length).toBeGreaterThan(0);
    expect(writes()).toEqual([]);
  });

  it('shows a changed plan as one update naming the field, a new API as a create, exits 2 and writes nothing', async () => {
    const { ns, simulator } = world;
    const path = await file('changed.json', [
      credentials('apim-credentials', 'admin', 'admin'),
      context('apim', simulator.url),
      changedPlan(),
      v4Api('fresh'),
    ]);
    simulator.clearRequests();
    const run = await gko(['diff', '--context', 'apim', '-n', ns, path]);
    expect(run.stdout).toBe(`ApiV4Definition ${ns}/orders: update plans\nApiV4Definition ${ns}/fresh: create\n`);
    expect(run.code).toBe(2);
    const json = await gko(['diff', '--context', 'apim', '-n', ns, '-o', 'json', path]);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout) as { objects: { name: string; action: string; fields?: string[] }[] };
    expect(report.objects.map((o) => [o.name, o.action, o.fields])).toEqual([
      ['orders', 'update', ['plans']],
      ['fresh', 'create', undefined],
    ]);
    expect(writes()).toEqual([]);
    expect(world.simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-fresh`)).toBe(false);
  });

  it('names a field whose value comes from a Secret, never the value', async () => {
    const { ns, simulator } = world;
    const secretValue = 'value-kept-in-a-secret-8f2d';
    const path = await file('templated.json', [
      credentials('apim-credentials', 'admin', 'admin'),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'texts' }, stringData: { description: secretValue } },
      context('apim', simulator.url),
      v4Api('orders', { description: '[[ secret `texts/description` ]]' }),
    ]);
    for (const output of ['text', 'json']) {
      const run = await gko(['diff', '--context', 'apim', '-n', ns, '-o', output, path]);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('description');
      expect(run.stdout + run.stderr).not.toContain(secretValue);
    }
  });

  it('reads the context and its credentials from the cluster with --cluster', async () => {
    const { ns, simulator } = world;
    const path = await file('api-only.json', [changedPlan()]);
    simulator.clearRequests();
    const run = await gko(['diff', '--cluster', '--context', 'apim', '-n', ns, path]);
    expect(run.stdout).toBe(`ApiV4Definition ${ns}/orders: update plans\n`);
    expect(run.code).toBe(2);
    expect(writes()).toEqual([]);
    const without = await gko(['diff', '--context', 'apim', '-n', ns, path]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('add --cluster to read it from the cluster');
  });
});

describe('gko validate against a cluster and APIM', () => {
  it('reads what the manifests refer to from the cluster with --cluster, and reports it missing without', async () => {
    const { ns } = world;
    const subscribing = [
      {
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'shop' },
        spec: { contextRef: { name: 'apim' }, name: 'shop', description: 'd', settings: { app: { type: 'web' } } },
      },
      {
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'Subscription',
        metadata: { name: 'gold' },
        spec: { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'free' },
      },
    ];
    const path = await file('subscribing.json', subscribing);
    const offline = await gko(['validate', '-n', ns, path]);
    expect(offline.stdout).toContain(`spec.contextRef: ManagementContext ${ns}/apim does not exist`);
    expect(offline.code).toBe(1);
    // With the cluster: the context and the API are found, and the plan is checked (key-less plans take no subscription).
    const read = await gko(['validate', '--cluster', '-n', ns, path]);
    expect(read.stdout).toBe(
      `${path}:1: error: Subscription ${ns}/gold: spec.plan: plan free is KEY_LESS: only API_KEY, JWT, OAUTH2 and MTLS plans take subscriptions\n`,
    );
    expect(read.code).toBe(1);
  });

  it("adds APIM's dry run through --context, as the webhook does, sending nothing that changes APIM", async () => {
    const { ns, simulator } = world;
    simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.set('console-api', {
      hrid: 'console-api',
      name: 'console',
      version: '1',
      type: 'PROXY',
      lifecycleState: 'UNPUBLISHED',
      endpointGroups: [],
      listeners: [{ type: 'HTTP', paths: [{ path: '/console-path' }] }],
    });
    const path = await file('conflict.json', [
      v4Api('copy', {
        listeners: [{ type: 'HTTP', paths: [{ path: '/console-path' }], entrypoints: [{ type: 'http-proxy' }] }],
      }),
    ]);
    expect((await gko(['validate', '--cluster', '-n', ns, path])).code).toBe(0);
    simulator.clearRequests();
    const run = await gko(['validate', '--cluster', '--context', 'apim', '-n', ns, path]);
    expect(run.stdout).toContain(`error: ApiV4Definition ${ns}/copy: spec: APIM refuses it:`);
    expect(run.stdout).toContain('console-path');
    expect(run.code).toBe(1);
    expect(simulator.requests().some((r) => r.query['dryRun'] === 'true')).toBe(true);
    expect(writes()).toEqual([]);
  });

  it('checks an object the cluster holds as an update of it: a plan still subscribed may not go', async () => {
    const { ns } = world;
    const keyed = () => v4Api('keyed', { plans: { keys: { name: 'Keys', security: { type: 'API_KEY' } } } });
    const buyer = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'buyer' },
      spec: { contextRef: { name: 'apim' }, name: 'buyer', description: 'd', settings: { app: { type: 'web' } } },
    };
    const subscribed = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'Subscription',
      metadata: { name: 'buyer-keys' },
      spec: { api: { name: 'keyed' }, application: { name: 'buyer' }, plan: 'keys' },
    };
    for (const m of [keyed(), buyer, subscribed]) expect((await apply(cluster, ns, m)).code).toBe(0);
    const path = await file('plan-removed.json', [
      v4Api('keyed', { plans: { free: { name: 'Free', security: { type: 'KEY_LESS' } } } }),
    ]);
    const run = await gko(['validate', '--cluster', '-n', ns, path]);
    expect(run.stdout).toBe(
      `${path}:1: error: ApiV4Definition ${ns}/keyed: spec.plans: plan keys is used by Subscription ${ns}/buyer-keys: keep it, or delete the subscription first\n`,
    );
    expect(run.code).toBe(1);
    // The cluster's copy unchanged: nothing to check again, as the webhook does.
    const same = await gko(['validate', '--cluster', '-n', ns, await file('keyed.json', [keyed()])]);
    expect(same.code).toBe(0);
  });

  it("never sends the cluster's credentials to a target the input sets", async () => {
    const { ns, simulator } = world;
    // A pull request that points the cluster's context elsewhere is refused before anything is sent.
    const moved = await file('moved-context.json', [context('apim', 'http://127.0.0.1:1'), v4Api('orders')]);
    simulator.clearRequests();
    const run = await gko(['validate', '--cluster', '--context', 'apim', '-n', ns, moved]);
    expect(run.stderr).toContain(`--context: the input changes ManagementContext ${ns}/apim`);
    expect(run.code).toBe(2);
    // A new context of the input naming the cluster's Secret does not get it.
    const rogue = await file('rogue-context.json', [
      context('rogue', simulator.url),
      v4Api('stolen', { contextRef: { name: 'rogue' } }),
    ]);
    const stolen = await gko(['validate', '--cluster', '--context', 'rogue', '-n', ns, rogue]);
    expect(stolen.stdout).toContain(`Secret ${ns}/apim-credentials does not exist`);
    expect(stolen.code).toBe(1);
    expect(simulator.requests()).toEqual([]);
  });

  it('checks the output of kubectl kustomize piped to standard input', async () => {
    const base = join(dir, 'kustomize');
    await mkdir(base, { recursive: true });
    await writeFile(join(base, 'api.json'), JSON.stringify(v4Api('kustomized')));
    await writeFile(
      join(base, 'kustomization.yaml'),
      'namespace: team-kustomized\nresources:\n  - api.json\ncommonLabels:\n  team: payments\n',
    );
    const built = await kubectlOk(cluster, ['kustomize', base]);
    expect(built).toContain('namespace: team-kustomized');
    const run = await gko(['validate', '--assume-present', '-o', 'json', '-'], built);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { objects: { namespace: string; name: string; allowed: boolean }[] };
    expect(report.objects).toEqual([
      expect.objectContaining({ namespace: 'team-kustomized', name: 'kustomized', allowed: true }),
    ]);
    const broken = await gko(['validate', '--assume-present', '-'], built.replace('type: PROXY', 'type: PROXIED'));
    expect(broken.stdout).toContain('<stdin>:');
    expect(broken.stdout).toContain(
      'ApiV4Definition team-kustomized/kustomized: spec.type: Unsupported value: "PROXIED"',
    );
    expect(broken.code).toBe(1);
  });
});
