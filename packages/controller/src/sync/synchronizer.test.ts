import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { ApimError } from '@gko/mapi';
import { silentLogger, stableHash } from '@gko/runtime';
import { InvalidSpecError } from '../reconcile/errors.ts';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { SLOW_RETRY_POLICY, type Outcome } from '../reconcile/result.ts';
import { acceptingApiServer, FakeCache } from '../test-support.ts';
import { synchronizer, type KindSync, type SyncedObject } from './synchronizer.ts';

const FINALIZER = 'gravitee.io/test';
const KEY = { namespace: 'team', name: 'orders' };

type Api = SyncedObject & { spec: { name: string } };

function api(uid: string, status?: Api['status'], metadata: Partial<Api['metadata']> = {}): Api {
  return {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiV4Definition',
    metadata: { ...KEY, uid, generation: 1, resourceVersion: '1', finalizers: [FINALIZER], ...metadata },
    spec: { name: 'orders' },
    ...(status ? { status } : {}),
  };
}

/** The status of an object synchronised at generation 1 with the plan the fake kind makes. */
const synced = (): NonNullable<Api['status']> => ({
  syncHash: stableHash({ name: 'orders' }),
  observedGeneration: 1,
  conditions: [
    { type: 'Ready', status: 'True', reason: 'Synced', message: '', observedGeneration: 1, lastTransitionTime: '' },
  ],
});

/** A kind whose APIM side is scripted by the test: what apply throws, what compare finds. */
function scriptedKind() {
  const script = {
    applyFails: undefined as (() => Error) | undefined,
    differences: [] as string[],
    users: [] as string[],
    applied: 0,
  };
  const kind: KindSync<Api, null> = {
    kind: 'ApiV4Definition',
    resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiV4Definition')!,
    finalizer: FINALIZER,
    plan: (object) => ({ fingerprint: { name: object.spec.name }, needsFinalizer: true, data: null }),
    apply() {
      script.applied++;
      const failure = script.applyFails?.();
      return failure ? Promise.reject(failure) : Promise.resolve({ status: {}, summary: 'applied' });
    },
    compare: () => Promise.resolve(script.differences),
    users: () => script.users,
    remove: () => Promise.resolve(undefined),
  };
  return { script, kind };
}

const cache = new FakeCache([]);
const events: { reason: string; note: string }[] = [];
let server: Awaited<ReturnType<typeof acceptingApiServer>>;

beforeAll(async () => {
  // A status written shows in the cache, as the informer would bring it.
  server = await acceptingApiServer((write) => {
    const body = write.body as Api | undefined;
    if (write.method === 'PUT' && write.path.endsWith('/status') && body) cache.put(body);
  });
});
afterAll(() => server.close());
beforeEach(() => {
  cache.remove('ApiV4Definition', KEY.namespace, KEY.name);
  cache.remove('ConfigMap', KEY.namespace, KEY.name);
  events.length = 0;
});

function context(verifyRemote = false): ReconcileContext {
  return {
    logger: silentLogger,
    cache,
    kube: server.connection,
    events: {
      record: (_o, _t, reason, note) => {
        events.push({ reason, note });
        return Promise.resolve();
      },
    },
    settings: { templating: false, driftPeriodMs: 0 },
    apim: () => {
      throw new Error('no APIM in these tests');
    },
    verifyRemote,
    now: () => new Date('2026-12-07T00:00:00Z'),
  };
}

const ready = () =>
  (cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api).status?.conditions?.find((c) => c.type === 'Ready');
const unavailable = () => new ApimError({ kind: 'http', method: 'PUT', url: 'u', status: 503 }, 'APIM answered 503');

describe('synchronizer: a drift repair that fails', () => {
  it('is tried again by the retry, and again at the next drift check, until it holds', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(api('u1', synced()));
    // A first repair that worked, so that this process remembers writing this plan.
    script.differences = ['name'];
    expect((await reconcile(KEY, context(true))).kind).toBe('done');
    script.differences = ['description'];
    script.applyFails = unavailable;
    const failed = (await reconcile(KEY, context(true))) as Extract<Outcome, { kind: 'failed' }>;
    expect(failed).toMatchObject({ kind: 'failed', terminal: false });
    expect(ready()?.status).toBe('False');
    // The retry writes, although this process wrote the same plan before the failure.
    script.applyFails = undefined;
    const before = script.applied;
    expect((await reconcile(KEY, context(false))).kind).toBe('done');
    expect(script.applied).toBe(before + 1);
    expect(ready()?.status).toBe('True');
  });

  it('is repeated at the next drift check when the repair itself failed', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(api('u2', synced()));
    script.differences = ['name'];
    script.applyFails = unavailable;
    expect((await reconcile(KEY, context(true))).kind).toBe('failed');
    // APIM is back and the status is Ready again (written by another replica, say).
    cache.put(api('u2', synced()));
    script.applyFails = undefined;
    const before = script.applied;
    expect((await reconcile(KEY, context(true))).kind).toBe('done');
    expect(script.applied).toBe(before + 1);
    expect(events.filter((e) => e.reason === 'DriftRepaired')).toHaveLength(2);
  });
});

describe('synchronizer: refusals', () => {
  it('are remembered for the object refused, not for its name: the same object applied again is tried', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    script.applyFails = () => new InvalidSpecError('Invalid', 'refused');
    cache.put(api('first'));
    expect(await reconcile(KEY, context())).toMatchObject({ kind: 'failed', terminal: true });
    expect(script.applied).toBe(1);
    await reconcile(KEY, context());
    expect(script.applied).toBe(1);
    // Deleted, then applied again as written, before any reconcile saw it gone: a new object.
    script.applyFails = undefined;
    cache.put(api('second'));
    expect((await reconcile(KEY, context())).kind).toBe('done');
    expect(script.applied).toBe(2);
    expect(ready()?.status).toBe('True');
  });

  it('are lifted when the object in the way changes or goes', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...KEY, resourceVersion: '7' } };
    cache.put(foreign);
    script.applyFails = () => new InvalidSpecError('ConfigMapConflict', 'in the way', { kind: 'ConfigMap', ...KEY });
    cache.put(api('u3'));
    await reconcile(KEY, context());
    await reconcile(KEY, context());
    expect(script.applied).toBe(1);
    cache.put({ ...foreign, metadata: { ...foreign.metadata, resourceVersion: '8' } });
    await reconcile(KEY, context());
    expect(script.applied).toBe(2);
    cache.remove('ConfigMap', KEY.namespace, KEY.name);
    script.applyFails = undefined;
    expect((await reconcile(KEY, context())).kind).toBe('done');
    expect(script.applied).toBe(3);
  });
});

describe('synchronizer: APIM answering 403', () => {
  it('reports Forbidden and is retried slowly, not parked', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    script.applyFails = () =>
      new ApimError({ kind: 'http', method: 'PUT', url: 'u', status: 403 }, 'APIM answered 403');
    cache.put(api('u4'));
    const outcome = await reconcile(KEY, context());
    expect(outcome).toMatchObject({ kind: 'failed', terminal: false, retry: SLOW_RETRY_POLICY });
    expect(ready()).toMatchObject({ status: 'False', reason: 'Forbidden' });
    // The retry tries APIM again.
    await reconcile(KEY, context());
    expect(script.applied).toBe(2);
  });
});

describe('synchronizer: a delete held up by users', () => {
  it('retries slowly and says so once per change of its users', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    script.users = ['ApiV4Definition team/a'];
    cache.put(api('u5', synced(), { deletionTimestamp: new Date() }));
    for (let i = 0; i < 3; i++)
      expect(await reconcile(KEY, context())).toMatchObject({ kind: 'failed', retry: SLOW_RETRY_POLICY });
    expect(events.filter((e) => e.reason === 'DeleteBlocked')).toHaveLength(1);
    script.users = ['ApiV4Definition team/b'];
    await reconcile(KEY, context());
    expect(events.filter((e) => e.reason === 'DeleteBlocked').map((e) => e.note)).toEqual([
      expect.stringContaining('team/a'),
      expect.stringContaining('team/b'),
    ]);
    script.users = [];
    expect(await reconcile(KEY, context())).toEqual({ kind: 'done' });
    expect(server.writes.at(-1)).toMatchObject({ method: 'PATCH', path: expect.stringContaining('/team/') });
  });
});
