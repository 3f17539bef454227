import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataNotLoadedError, GRAVITEE_RESOURCES } from '@gko/kube';
import { ApimError } from '@gko/mapi';
import { silentLogger, stableHash } from '@gko/runtime';
import { InvalidSpecError, PendingReferenceError } from '../reconcile/errors.ts';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { SLOW_RETRY_POLICY, type Outcome } from '../reconcile/result.ts';
import { acceptingApiServer, FakeCache } from '../test-support.ts';
import { PENDING_GRACE_MS, synchronizer, type KindSync, type SyncedObject } from './synchronizer.ts';

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

function context(verifyRemote = false, now = new Date('2026-12-07T00:00:00Z')): ReconcileContext {
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
    now: () => now,
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

describe('synchronizer: progress as kstatus reads it', () => {
  const condition = (type: string) =>
    (cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api).status?.conditions?.find((c) => c.type === type);

  it('says Reconciling while a failure is retried, Stalled once one waits for a change, neither once in sync', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(api('k1'));
    script.applyFails = unavailable;
    await reconcile(KEY, context());
    expect(condition('Reconciling')?.status).toBe('True');
    expect(condition('Stalled')?.status).toBe('False');
    script.applyFails = () => new InvalidSpecError('Invalid', 'refused');
    await reconcile(KEY, context());
    expect(condition('Reconciling')?.status).toBe('False');
    expect(condition('Stalled')).toMatchObject({ status: 'True', reason: 'Invalid' });
    script.applyFails = undefined;
    // The spec changes: the refusal no longer holds.
    const refused = cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api;
    cache.put({ ...refused, metadata: { ...refused.metadata, generation: 2 }, spec: { name: 'orders-2' } } as Api);
    await reconcile(KEY, context());
    expect(condition('Reconciling')?.status).toBe('False');
    expect(condition('Stalled')?.status).toBe('False');
    expect(ready()?.status).toBe('True');
  });
});

describe('synchronizer: a reference on its way to APIM', () => {
  const at = (ms: number) => context(false, new Date(Date.parse('2026-12-07T00:00:00Z') + ms));
  const pendingApi = () =>
    new PendingReferenceError('spec.api', 'ApiV4Definition', 'team', 'orders', 'is not in APIM yet');

  it('is waited for quietly for a while, then said once, however often it is retried', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(api('p1'));
    script.applyFails = pendingApi;
    // Applied together with what it names: no status, no Event, back when the grace ends.
    expect(await reconcile(KEY, at(0))).toEqual({ kind: 'requeue', afterMs: PENDING_GRACE_MS });
    expect(await reconcile(KEY, at(4_000))).toEqual({ kind: 'requeue', afterMs: PENDING_GRACE_MS - 4_000 });
    expect(ready()).toBeUndefined();
    expect(events).toEqual([]);
    // Still waiting after the grace: said, in the status and in an Event, and retried with backoff.
    expect(await reconcile(KEY, at(PENDING_GRACE_MS))).toMatchObject({ kind: 'failed', terminal: false });
    expect(ready()).toMatchObject({
      status: 'False',
      reason: 'RefNotFound',
      message: 'spec.api: ApiV4Definition team/orders is not in APIM yet',
    });
    expect(events.map((e) => e.reason)).toEqual(['RefNotFound']);
    const written = cache.get('ApiV4Definition', KEY.namespace, KEY.name)?.metadata?.resourceVersion;
    expect(await reconcile(KEY, at(PENDING_GRACE_MS + 60_000))).toMatchObject({ kind: 'failed', terminal: false });
    expect(events).toHaveLength(1);
    expect(cache.get('ApiV4Definition', KEY.namespace, KEY.name)?.metadata?.resourceVersion).toBe(written);
    // Once there, synchronised; a later wait starts its grace afresh.
    script.applyFails = undefined;
    await reconcile(KEY, at(PENDING_GRACE_MS + 61_000));
    expect(ready()?.status).toBe('True');
  });

  it('is said at once by an object Ready for its generation whose reference went away', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    script.applyFails = pendingApi;
    // Ready for generation 1, but what it depends on changed (another fingerprint).
    cache.put(api('p2', { ...synced(), syncHash: 'before' }));
    expect(await reconcile(KEY, at(0))).toMatchObject({ kind: 'failed', terminal: false });
    expect(ready()).toMatchObject({ status: 'False', reason: 'RefNotFound' });
  });

  it('waits a moment, quietly, for the data of a Secret read through another object, then says so', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(api('d1'));
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'team', name: 'creds' } };
    script.applyFails = () => new DataNotLoadedError(secret);
    expect(await reconcile(KEY, at(0))).toEqual({ kind: 'requeue', afterMs: 1_000 });
    expect(await reconcile(KEY, at(29_000))).toEqual({ kind: 'requeue', afterMs: 1_000 });
    expect(events).toEqual([]);
    // Ready objects wait too: the Secret is being read for them (their context's credentials, say).
    cache.put(api('d1', { ...synced(), syncHash: 'before' }));
    expect(await reconcile(KEY, at(10_000))).toEqual({ kind: 'requeue', afterMs: 1_000 });
    expect(ready()?.status).toBe('True');
    expect(await reconcile(KEY, at(30_000))).toMatchObject({ kind: 'failed', terminal: false });
    expect(ready()).toMatchObject({
      status: 'False',
      reason: 'SourceNotRead',
      message: "the data of Secret team/creds is not in the cache yet (see the operator's log)",
    });
  });

  it('starts afresh for another object of the same name', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    script.applyFails = pendingApi;
    cache.put(api('first'));
    await reconcile(KEY, at(0));
    cache.put(api('second'));
    expect(await reconcile(KEY, at(PENDING_GRACE_MS + 1))).toEqual({ kind: 'requeue', afterMs: PENDING_GRACE_MS });
    expect(events).toEqual([]);
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

describe('synchronizer: management policies of the annotations', () => {
  const annotated = (uid: string, annotations: Record<string, string>, status?: Api['status'], extra = {}) =>
    api(uid, status, { annotations, ...extra });

  it('paused: writes nothing, says Paused once, and writes once resumed', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(annotated('p1', { 'gravitee.io/reconcile': 'paused' }, synced()));
    expect(await reconcile(KEY, context())).toEqual({ kind: 'done' });
    await reconcile(KEY, context(true));
    expect(script.applied).toBe(0);
    expect(ready()).toMatchObject({ status: 'False', reason: 'Paused' });
    expect(events.map((e) => e.reason)).toEqual(['Paused']);
    // Resumed: the annotation is gone.
    cache.put({ ...(cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api), metadata: api('p1').metadata });
    expect((await reconcile(KEY, context())).kind).toBe('done');
    expect(script.applied).toBe(1);
    expect(ready()).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it('paused: a deletion waits, its copy outside the cluster untouched', async () => {
    const { kind } = scriptedKind();
    let removed = 0;
    const reconcile = synchronizer({ ...kind, remove: () => Promise.resolve(void removed++) });
    const writesBefore = server.writes.length;
    cache.put(annotated('p2', { 'gravitee.io/reconcile': 'paused' }, synced(), { deletionTimestamp: new Date() }));
    expect(await reconcile(KEY, context())).toEqual({ kind: 'done' });
    expect(removed).toBe(0);
    // Only its status says so: the finalizer stays.
    expect(server.writes.slice(writesBefore).map((w) => w.method)).toEqual(['PUT']);
  });

  it('orphan: a deletion releases the finalizer without removing anything, nor waiting for users', async () => {
    const { script, kind } = scriptedKind();
    let removed = 0;
    const reconcile = synchronizer({ ...kind, remove: () => Promise.resolve(void removed++) });
    script.users = ['Subscription team/keys'];
    const writesBefore = server.writes.length;
    cache.put(
      annotated('o1', { 'gravitee.io/deletion-policy': 'orphan' }, synced(), { deletionTimestamp: new Date() }),
    );
    expect(await reconcile(KEY, context())).toEqual({ kind: 'done' });
    expect(removed).toBe(0);
    expect(events.map((e) => e.reason)).toEqual(['Orphaned']);
    expect(events[0]!.note).toContain('gravitee.io/deletion-policy: orphan');
    const writes = server.writes.slice(writesBefore);
    expect(writes.map((w) => w.method)).toEqual(['PUT', 'PATCH']);
  });

  it('observe: reads the copy into the status, writes nothing, adds no finalizer', async () => {
    const { script, kind } = scriptedKind();
    let stored: Record<string, unknown> | undefined = undefined;
    const reconcile = synchronizer({ ...kind, observe: () => Promise.resolve(stored) });
    const writesBefore = server.writes.length;
    cache.put(annotated('ob1', { 'gravitee.io/reconcile': 'observe' }, undefined, { finalizers: [] }));
    await reconcile(KEY, context());
    expect(ready()).toMatchObject({ status: 'False', reason: 'NotInApim' });
    stored = { id: 'apim-id', state: 'STARTED' };
    await reconcile(KEY, context());
    expect(ready()).toMatchObject({ status: 'True', reason: 'Observed' });
    const object = cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api;
    expect(object.status).toMatchObject({ id: 'apim-id', state: 'STARTED' });
    expect(object.metadata.finalizers).toEqual([]);
    expect(script.applied).toBe(0);
    // Status writes only.
    expect(server.writes.slice(writesBefore).every((w) => w.method === 'PUT' && w.path.endsWith('/status'))).toBe(true);
  });

  it('drift report: says Drifted with the fields, once (event and metric), repairs nothing, and clears it', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(annotated('d1', { 'gravitee.io/drift': 'report' }, synced()));
    script.differences = ['description'];
    expect(await reconcile(KEY, context(true))).toMatchObject({ kind: 'done', driftDetected: true });
    const drifted = () =>
      (cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api).status?.conditions?.find(
        (c) => c.type === 'Drifted',
      );
    expect(drifted()).toMatchObject({ status: 'True', reason: 'DriftDetected' });
    expect(drifted()!.message).toContain('description');
    expect(await reconcile(KEY, context(true))).not.toHaveProperty('driftDetected');
    expect(script.applied).toBe(0);
    expect(events.map((e) => e.reason)).toEqual(['DriftDetected']);
    expect(ready()?.status).toBe('True');
    script.differences = [];
    await reconcile(KEY, context(true));
    expect(drifted()).toMatchObject({ status: 'False', reason: 'InSync' });
  });

  it('a misspelt deletion policy holds the deletion instead of deleting', async () => {
    const { kind } = scriptedKind();
    let removed = 0;
    const reconcile = synchronizer({ ...kind, remove: () => Promise.resolve(void removed++) });
    const writesBefore = server.writes.length;
    cache.put(
      annotated('m1', { 'gravitee.io/deletion-policy': 'Orphan' }, synced(), { deletionTimestamp: new Date() }),
    );
    expect(await reconcile(KEY, context())).toMatchObject({ kind: 'failed', terminal: true });
    expect(removed).toBe(0);
    expect(server.writes.slice(writesBefore).map((w) => w.method)).toEqual(['PUT']);
    expect(ready()).toMatchObject({ status: 'False', reason: 'InvalidAnnotation' });
  });

  it('observe then active again: written from the cluster once, although the spec did not change', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer({ ...kind, observe: () => Promise.resolve({ id: 'apim-id' }) });
    cache.put(annotated('oa1', { 'gravitee.io/reconcile': 'observe' }, synced()));
    await reconcile(KEY, context());
    expect(ready()).toMatchObject({ status: 'True', reason: 'Observed' });
    expect(script.applied).toBe(0);
    const observed = cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api;
    cache.put({ ...observed, metadata: api('oa1').metadata });
    await reconcile(KEY, context());
    expect(script.applied).toBe(1);
    expect(ready()).toMatchObject({ status: 'True', reason: 'Synced' });
  });

  it('a Drifted condition left by the report policy is cleared once the policy goes and APIM agrees', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(annotated('dc1', { 'gravitee.io/drift': 'report' }, synced()));
    script.differences = ['name'];
    await reconcile(KEY, context(true));
    const reported = cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api;
    cache.put({ ...reported, metadata: api('dc1').metadata });
    script.differences = [];
    await reconcile(KEY, context(true));
    const drifted = (cache.get('ApiV4Definition', KEY.namespace, KEY.name) as Api).status?.conditions?.find(
      (c) => c.type === 'Drifted',
    );
    expect(drifted).toMatchObject({ status: 'False', reason: 'InSync' });
    expect(script.applied).toBe(0);
  });

  it('refuses an unknown value, naming the annotation', async () => {
    const { script, kind } = scriptedKind();
    const reconcile = synchronizer(kind);
    cache.put(annotated('x1', { 'gravitee.io/drift': 'ignore' }));
    expect(await reconcile(KEY, context())).toMatchObject({ kind: 'failed', terminal: true });
    expect(ready()).toMatchObject({ status: 'False', reason: 'InvalidAnnotation' });
    expect(ready()!.message).toContain('metadata.annotations[gravitee.io/drift]');
    expect(script.applied).toBe(0);
  });
});
