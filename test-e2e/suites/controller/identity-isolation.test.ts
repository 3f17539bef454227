// Two namespaces sharing one context (one APIM environment): an object in one cannot write, read back
// or delete an object of the other by any field of its spec (hrid, id, crossId). The webhook denies
// such objects, naming the owner; where an object reaches the cluster without the webhook, the
// controllers refuse it and never name the other's objects in APIM, not even to delete them. A
// manifest exported from APIM (its id, crossId and HRID filled in) takes over that API, with no copy.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type EnvironmentState, type Simulator } from '@gko/apim-simulator';
import { createApimClient } from '@gko/mapi';
import {
  apply,
  installCrds,
  kubectl,
  kubectlOk,
  startWebhook,
  waitReady,
  type RunningWebhook,
} from '../../src/index.ts';
import {
  condition,
  credentials,
  eventually,
  events,
  getJson,
  manifest,
  v2Api,
  v4Api,
  type Manifest,
} from './fixtures.ts';

const cluster = inject('controlPlane');
const suffix = Date.now().toString(36);
const shared = `shared-${suffix}`;
const teamB = `team-b-${suffix}`;
const evil = `evil-${suffix}`;
/** Watched by the controllers, but not selected by the webhook: what an apply without admission makes. */
const bypass = `bypass-${suffix}`;
let simulator: Simulator;
let operator: RunningWebhook;

const env = (): EnvironmentState => simulator.state.environment('DEFAULT', 'DEFAULT')!;
const contextRef = { name: 'apim', namespace: shared };
const withContext = (object: Manifest): Manifest => ({ ...object, spec: { ...object.spec, contextRef } });
const application = (name: string, spec: Record<string, unknown> = {}) =>
  manifest('Application', name, {
    contextRef,
    name,
    description: `${name} app`,
    settings: { app: { type: 'web' } },
    ...spec,
  });

interface Owned {
  v4: { id: string; crossId: string; plans: Record<string, string> };
  v2: { id: string; crossId: string };
  app: { id: string };
  /** The id of the API APIM holds as team B's `pending`, whose object is not synchronised yet. */
  pendingId: string;
}
let owned: Owned;

/**
 * An API made in APIM outside the operator (as the console makes one), with one key-less plan `free`
 * when asked: what it is stored as.
 */
async function madeInApim(hrid: string, path: string, withPlan: boolean) {
  const apim = createApimClient({
    context: 'console',
    baseUrl: simulator.url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    credentials: { kind: 'basic', username: 'admin', password: 'admin' },
  });
  try {
    return await apim.apis.put({
      hrid,
      name: hrid,
      version: '1.0',
      type: 'PROXY',
      lifecycleState: 'UNPUBLISHED',
      listeners: [{ type: 'HTTP', paths: [{ path }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
      ...(withPlan
        ? {
            plans: [
              {
                hrid: 'free',
                name: 'Free',
                security: { type: 'KEY_LESS' },
                status: 'PUBLISHED',
                type: 'API',
                mode: 'STANDARD',
                validation: 'AUTO',
              },
            ],
          }
        : {}),
    });
  } finally {
    await apim.close();
  }
}

async function namespace(name: string, labels: Record<string, string> = {}) {
  await kubectlOk(cluster, ['create', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }),
  });
}

/** Every request naming one of team B's objects (by HRID, id or crossId), in its path or body. */
function requestsNaming(values: string[]): string[] {
  return simulator
    .requests()
    .filter((r) => values.some((v) => r.path.includes(v) || JSON.stringify(r.body ?? {}).includes(v)))
    .map((r) => `${r.method} ${r.path}`);
}

/** What each evil object tries: each field of its spec naming one of team B's objects. */
const attempts = (): Manifest[] => [
  { ...withContext(v4Api('by-hrid', { hrid: `${teamB}-payments` })) },
  { ...withContext(v4Api('by-id', { id: owned.v4.id })) },
  { ...withContext(v4Api('by-cross-id', { crossId: owned.v4.crossId })) },
  {
    ...withContext(
      v4Api('by-plan-id', {
        plans: { free: { name: 'Free', security: { type: 'KEY_LESS' }, id: Object.values(owned.v4.plans)[0] } },
      }),
    ),
  },
  { ...withContext(v2Api('by-v2-cross-id', { crossId: owned.v2.crossId })) },
  { ...withContext(v2Api('by-v2-id', { id: owned.v2.id })) },
  application('by-app-id', { id: owned.app.id }),
  { ...withContext(v4Api('by-pending-id', { id: owned.pendingId })) },
];

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  operator = await startWebhook(cluster, {
    program: 'operator',
    env: { NAMESPACE: [shared, teamB, evil, bypass].join(',') },
  });
  for (const name of [shared, teamB, evil]) await namespace(name, operator.labels);
  await namespace(bypass);
  await kubectlOk(cluster, ['apply', '-n', shared, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  const context = manifest('ManagementContext', 'apim', {
    baseUrl: simulator.url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    auth: { secretRef: { name: 'apim-credentials' } },
  });
  expect((await apply(cluster, shared, context)).stderr).toBe('');
  expect((await waitReady(cluster, shared, 'managementcontext/apim')).stderr).toBe('');

  // Team B's objects, synchronised with the shared environment.
  const objects = [withContext(v4Api('payments')), withContext(v2Api('ledger')), application('buyer')];
  expect((await apply(cluster, teamB, objects)).stderr).toBe('');
  for (const resource of ['apiv4definition/payments', 'apidefinition/ledger', 'application/buyer'])
    expect((await waitReady(cluster, teamB, resource)).stderr).toBe('');
  const status = async <T>(resource: string) => (await getJson<{ status: T }>(cluster, teamB, resource))!.status;
  // An API APIM holds under the HRID of an object `pending` that cannot be synchronised yet (its context
  // does not exist; applied where the webhook does not look, which would refuse it): it claims that
  // HRID by its name alone.
  const pending = await madeInApim(`${bypass}-pending`, '/pending', false);
  const pendingApi = v4Api('pending', { contextRef: { name: 'not-yet', namespace: bypass } });
  expect((await apply(cluster, bypass, pendingApi)).stderr).toBe('');
  owned = {
    pendingId: pending.id!,
    v4: await status('apiv4definition/payments'),
    v2: await status('apidefinition/ledger'),
    app: await status('application/buyer'),
  };
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe("an object naming another namespace's objects in APIM", () => {
  it('is denied at admission, with the field and the owner named', async () => {
    const [byHrid, byId, byCrossId, byPlanId, byV2CrossId, byV2Id, byAppId] = attempts();
    const denied = async (object: Manifest) => {
      const result = await apply(cluster, evil, object);
      expect(result.code, object.metadata.name).not.toBe(0);
      return result.stderr;
    };
    expect(await denied(byHrid!)).toContain(`spec.hrid: must be ${evil}-by-hrid or be left out`);
    expect(await denied(byId!)).toContain(
      `spec.id: ${owned.v4.id} names an APIM object that ApiV4Definition ${teamB}/payments manages (its status.id)`,
    );
    expect(await denied(byCrossId!)).toContain(
      `spec.crossId: ${owned.v4.crossId} names an APIM object that ApiV4Definition ${teamB}/payments manages`,
    );
    expect(await denied(byPlanId!)).toContain(
      `spec.plans.free.id: ${Object.values(owned.v4.plans)[0]} names an APIM object that ApiV4Definition ${teamB}/payments manages (its status.plans)`,
    );
    expect(await denied(byV2CrossId!)).toContain(
      `spec.crossId: ${owned.v2.crossId} names an APIM object that ApiDefinition ${teamB}/ledger manages`,
    );
    expect(await denied(byV2Id!)).toContain(
      `spec.id: ${owned.v2.id} names an APIM object that ApiDefinition ${teamB}/ledger manages`,
    );
    expect(await denied(attempts().at(-1)!)).toContain(
      `spec.id: ${owned.pendingId} is the APIM object known as ${bypass}-pending, which ApiV4Definition ${bypass}/pending manages`,
    );
    expect(await denied(byAppId!)).toContain(
      `spec.id: ${owned.app.id} names an APIM object that Application ${teamB}/buyer manages`,
    );
    expect(await kubectl(cluster, ['get', 'gravitee', '-n', evil, '-o', 'name'])).toMatchObject({ stdout: '' });
  });

  it('is refused by the controllers without the webhook, and neither writes nor reads what it names', async () => {
    const before = structuredClone({ v4: env().apis.get(`${teamB}-payments`), v2: env().v2Apis.get(owned.v2.id) });
    simulator.clearRequests();
    // With the finalizers the controllers would put on them already set, as anyone may: their deletion
    // then goes through the controllers.
    const objects = attempts().map((object) => ({
      ...object,
      metadata: {
        ...object.metadata,
        finalizers: [
          object.kind === 'Application'
            ? 'finalizers.gravitee.io/applicationdeletion'
            : 'finalizers.gravitee.io/apidefinitiondeletion',
        ],
      },
    }));
    expect((await apply(cluster, bypass, objects)).code).toBe(0);
    for (const object of objects) {
      const resource = `${object.kind.toLowerCase()}/${object.metadata.name}`;
      const ready = await eventually(`${resource} refused`, async () => {
        const found = await condition(cluster, bypass, resource, 'Ready');
        return found?.status === 'False' ? found : undefined;
      });
      expect(ready.reason, resource).toBe('IdentityConflict');
      const owner = object.metadata.name === 'by-pending-id' ? `${bypass}/pending` : `${teamB}/`;
      if (object.metadata.name !== 'by-hrid') expect(ready.message, resource).toContain(owner);
    }
    const named = [`${teamB}-payments`, owned.v4.id, owned.v4.crossId, owned.v2.id, owned.v2.crossId, owned.app.id];
    expect(requestsNaming(named)).toEqual([]);
    expect({ v4: env().apis.get(`${teamB}-payments`), v2: env().v2Apis.get(owned.v2.id) }).toEqual(before);
  });

  it('removes nothing of the other namespace from APIM when deleted', async () => {
    simulator.clearRequests();
    await kubectlOk(cluster, ['delete', 'gravitee', '--all', '-n', bypass, '--timeout=60s']);
    for (const object of attempts()) {
      const reported = await eventually(`${object.metadata.name}: DeleteIncomplete`, async () =>
        (await events(cluster, bypass, object.metadata.name)).find((e) => e.reason === 'DeleteIncomplete'),
      );
      expect(reported.note, object.metadata.name).toMatch(/^not removed from APIM/);
    }
    const named = [
      `${teamB}-payments`,
      owned.v4.id,
      owned.v4.crossId,
      owned.v2.id,
      owned.v2.crossId,
      owned.app.id,
      owned.pendingId,
    ];
    expect(requestsNaming(named)).toEqual([]);
    expect(env().apis.has(`${teamB}-payments`)).toBe(true);
    expect(env().v2Apis.has(owned.v2.id)).toBe(true);
    expect([...env().applications.values()].some((a) => a.id === owned.app.id)).toBe(true);
    expect(env().apis.has(`${bypass}-pending`)).toBe(true);
  });
});

describe('a manifest exported from APIM', () => {
  it('takes over the API it names, with no copy, once its HRID is that of its namespace and name', async () => {
    // An API made in APIM outside the operator (by the console), then exported with every id filled in.
    const made = v4Api('exported', {
      plans: { free: { name: 'Free', security: { type: 'KEY_LESS' } } },
      listeners: [{ type: 'HTTP', paths: [{ path: '/exported' }], entrypoints: [{ type: 'http-proxy' }] }],
    });
    const stored = await madeInApim('made-in-the-console', '/exported', true);
    const exported = (hrid: string) =>
      withContext(
        v4Api('exported', {
          ...made.spec,
          id: stored.id,
          crossId: stored.crossId,
          hrid,
          plans: { free: { name: 'Free', security: { type: 'KEY_LESS' }, id: stored.plans![0]!.id, hrid: 'free' } },
        }),
      );

    const denied = await apply(cluster, evil, exported('made-in-the-console'));
    expect(denied.stderr).toContain(`spec.hrid: must be ${evil}-exported or be left out`);

    const before = env().apis.size;
    simulator.clearRequests();
    expect((await apply(cluster, evil, exported(`${evil}-exported`))).stderr).toBe('');
    expect((await waitReady(cluster, evil, 'apiv4definition/exported')).stderr).toBe('');
    expect(env().apis.size).toBe(before);
    const writes = simulator.requests().filter((r) => r.method === 'PUT' && r.query['dryRun'] !== 'true');
    expect(writes.map((w) => [w.path, w.query])).toEqual([
      ['/automation/organizations/DEFAULT/environments/DEFAULT/apis', { hridContainsUUID: 'true' }],
    ]);
    const api = [...env().apis.values()].find((a) => a.id === stored.id)!;
    expect(api.plans?.map((p) => p.id)).toEqual([stored.plans![0]!.id]);
    expect((await getJson<{ status: { id: string } }>(cluster, evil, 'apiv4definition/exported'))!.status.id).toBe(
      stored.id,
    );
  });
});
