import type { KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '@gko/runtime';
import { MemoryLeaseStore, type InformerEvent } from '@gko/kube';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { LOCAL_MODE_LABELS } from '../local-mode/configmap.ts';
import { Manager, type ManagerOptions } from './manager.ts';

/** The parts of the cluster cache the manager uses, fed by hand. */
class FakeCache {
  isSynced = false;
  failingMs = 0;
  private readonly objects: KubernetesObject[] = [];
  private readonly indexes = new Map<string, (o: KubernetesObject) => string[]>();
  private readonly handlers: ((o: KubernetesObject, e: InformerEvent) => void)[] = [];
  private resolveSynced: () => void = () => undefined;
  private readonly syncedPromise = new Promise<void>((resolve) => (this.resolveSynced = resolve));

  keep: ((o: KubernetesObject) => boolean) | undefined;
  /** Reads of data asked for, and how each ends (set by a test). */
  loads: string[] = [];
  loadResult: Promise<void> = Promise.resolve();
  released: string[] = [];
  keepDataOnlyWhere(keep: (o: KubernetesObject) => boolean) {
    this.keep = keep;
  }
  loadData(kind: string, namespace: string, name: string) {
    this.loads.push(`${kind}/${namespace}/${name}`);
    return this.loadResult;
  }
  releaseData(kind: string, namespace: string, name: string) {
    this.released.push(`${kind}/${namespace}/${name}`);
  }
  synced = () => this.syncedPromise;
  unsynced = () => (this.isSynced ? [] : [{ resource: 'secrets', namespace: 'locked', error: '403 Forbidden' }]);
  failingForMs = () => this.failingMs;
  markSynced() {
    this.isSynced = true;
    this.resolveSynced();
  }
  onChange(handler: (o: KubernetesObject, e: InformerEvent) => void) {
    this.handlers.push(handler);
  }
  addIndex(kind: string, name: string, fn: (o: KubernetesObject) => string[]) {
    this.indexes.set(`${kind}/${name}`, fn);
  }
  get(kind: string, namespace: string, name: string) {
    return this.objects.find(
      (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
  }
  list(kind: string) {
    return this.objects.filter((o) => o.kind === kind);
  }
  byIndex(kind: string, index: string, value: string) {
    const fn = this.indexes.get(`${kind}/${index}`);
    return fn ? this.list(kind).filter((o) => fn(o).includes(value)) : [];
  }
  emit(object: KubernetesObject, event: InformerEvent) {
    if (event === 'delete') this.objects.splice(this.objects.indexOf(object), 1);
    else if (!this.objects.includes(object)) this.objects.push(object);
    for (const handler of this.handlers) handler(object, event);
  }
}

const object = (kind: string, name: string, spec: object = {}, extra: object = {}): KubernetesObject =>
  ({
    apiVersion: 'gravitee.io/v1alpha1',
    kind,
    metadata: { namespace: 'ns', name, generation: 1 },
    spec,
    ...extra,
  }) as KubernetesObject;

function setUp(extra: Partial<ManagerOptions> = {}) {
  const cache = new FakeCache();
  const calls: { kind: string; name: string; verify: boolean }[] = [];
  const manager = new Manager({
    connection: {} as ManagerOptions['connection'],
    cache: cache as unknown as ManagerOptions['cache'],
    logger: silentLogger,
    registry: new Registry(),
    settings: { templating: true, driftPeriodMs: 0 },
    apim: {} as ManagerOptions['apim'],
    events: { record: () => Promise.resolve() },
    concurrency: 2,
    onLostLeadership: () => undefined,
    unhealthyAfterMs: 1000,
    ...extra,
  });
  for (const kind of ['ApiV4Definition', 'ApiResource'])
    manager.register(kind, (key, context: ReconcileContext) => {
      calls.push({ kind, name: key.name, verify: context.verifyRemote });
      return Promise.resolve({ kind: 'done' });
    });
  return { cache, calls, manager };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the manager', () => {
  it('is ready once the caches are synced, and not while a watch has been failing too long', async () => {
    const { cache, manager } = setUp();
    expect(manager.ready()).toBe(false);
    cache.markSynced();
    expect(manager.ready()).toBe(true);
    cache.failingMs = 5000;
    expect(manager.ready()).toBe(false);
    cache.failingMs = 0;
    await manager.stop();
    expect(manager.ready()).toBe(false);
  });

  it('reconciles nothing before the caches are synced, then everything that changed', async () => {
    const { cache, calls, manager } = setUp();
    manager.start();
    cache.emit(object('ApiV4Definition', 'orders'), 'add');
    await settle();
    expect(calls).toEqual([]);
    cache.markSynced();
    await settle();
    expect(calls).toEqual([{ kind: 'ApiV4Definition', name: 'orders', verify: false }]);
    await manager.stop();
  });

  it('sends the users of a changed dependency to their controller, but not for a status-only update', async () => {
    const { cache, calls, manager } = setUp();
    cache.markSynced();
    manager.start();
    const resource = object('ApiResource', 'cache');
    cache.emit(resource, 'add');
    cache.emit(object('ApiV4Definition', 'orders', { resources: [{ ref: { name: 'cache' } }] }), 'add');
    await settle();
    calls.length = 0;
    cache.emit({ ...resource, status: { conditions: [] } } as KubernetesObject, 'update');
    await settle();
    expect(calls.map((c) => `${c.kind}/${c.name}`)).toEqual(['ApiResource/cache']);
    calls.length = 0;
    cache.emit({ ...resource, metadata: { ...resource.metadata, generation: 2 } }, 'update');
    await settle();
    expect(calls.map((c) => `${c.kind}/${c.name}`).sort()).toEqual(['ApiResource/cache', 'ApiV4Definition/orders']);
    await manager.stop();
  });

  it('keeps the data of the Secrets named, reads one named later before the reconcile, and lets it go', async () => {
    const { cache, calls, manager } = setUp();
    cache.markSynced();
    manager.start();
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { namespace: 'ns', name: 'backend' } };
    const unrelated = { ...secret, metadata: { namespace: 'ns', name: 'unrelated' } };
    const gateway = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'ns', name: 'orders', labels: { ...LOCAL_MODE_LABELS } },
    };
    expect(cache.keep?.(secret)).toBe(false);
    expect(cache.keep?.(gateway)).toBe(true);
    let finishRead = () => {};
    cache.loadResult = new Promise((resolve) => (finishRead = resolve));
    const templated = object('ApiV4Definition', 'orders', { description: '[[ secret `backend/token` ]]' });
    cache.emit(templated, 'add');
    expect(cache.loads).toEqual(['Secret/ns/backend']);
    expect(cache.keep?.(secret)).toBe(true);
    expect(cache.keep?.(unrelated)).toBe(false);
    await settle();
    expect(calls).toEqual([]);
    finishRead();
    await settle();
    expect(calls.map((c) => c.name)).toEqual(['orders']);
    cache.emit(
      object('ApiV4Definition', 'orders', {}, { metadata: { namespace: 'ns', name: 'orders', generation: 2 } }),
      'update',
    );
    expect(cache.released).toEqual(['Secret/ns/backend']);
    await manager.stop();
  });

  it('asks the owner of a gateway ConfigMap changed behind its back to compare and repair', async () => {
    const { cache, calls, manager } = setUp();
    cache.markSynced();
    manager.start();
    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        namespace: 'ns',
        name: 'orders',
        labels: { 'managed-by': 'gravitee.io', 'gio-type': 'apidefinitions.gravitee.io' },
        ownerReferences: [{ apiVersion: 'gravitee.io/v1alpha1', kind: 'ApiV4Definition', name: 'orders', uid: 'u' }],
      },
    } as KubernetesObject;
    cache.emit(configMap, 'add');
    await settle();
    expect(calls).toEqual([]);
    cache.emit(configMap, 'delete');
    await settle();
    expect(calls).toEqual([{ kind: 'ApiV4Definition', name: 'orders', verify: true }]);
    calls.length = 0;
    const foreign = { ...configMap, metadata: { ...configMap.metadata, labels: {} } } as KubernetesObject;
    cache.emit(foreign, 'add');
    cache.emit(foreign, 'delete');
    await settle();
    expect(calls).toEqual([]);
    await manager.stop();
  });

  it('reconciles an API when a ConfigMap of its name comes or goes: it may be what kept it from deploying', async () => {
    const { cache, calls, manager } = setUp();
    cache.markSynced();
    manager.start();
    cache.emit(object('ApiV4Definition', 'orders'), 'add');
    const foreign = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns', name: 'orders' } };
    cache.emit(foreign, 'add');
    await settle();
    calls.length = 0;
    cache.emit(foreign, 'delete');
    await settle();
    expect(calls).toEqual([{ kind: 'ApiV4Definition', name: 'orders', verify: false }]);
    await manager.stop();
  });

  it('routes deletes to the controller, and wakes the deletion a deleted user held up', async () => {
    const { cache, calls, manager } = setUp();
    cache.markSynced();
    manager.start();
    const resource = object('ApiResource', 'cache');
    const api = object('ApiV4Definition', 'orders', { resources: [{ ref: { name: 'cache' } }] });
    cache.emit(resource, 'add');
    cache.emit(api, 'add');
    resource.metadata!.deletionTimestamp = new Date();
    cache.emit(resource, 'update');
    await settle();
    calls.length = 0;
    cache.emit(api, 'delete');
    await settle();
    expect(calls.map((c) => `${c.kind}/${c.name}`).sort()).toEqual(['ApiResource/cache', 'ApiV4Definition/orders']);
    await manager.stop();
  });

  it('gives the Lease up when its caches do not fill in time, says which, and campaigns again once they fill', async () => {
    const store = new MemoryLeaseStore();
    const logs: Record<string, unknown>[] = [];
    const registry = new Registry();
    const { cache, calls, manager } = setUp({
      registry,
      logger: createLogger({ component: 't', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
      leaderElection: { namespace: 'ns', name: 'lease', identity: 'a', store, retryPeriodMs: 50, renewDeadlineMs: 200 },
      cacheSyncTimeoutMs: 100,
    });
    manager.start();
    await settle();
    expect(store.current?.holderIdentity).toBe('a');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(manager.healthy()).toBe(false);
    expect(store.current?.holderIdentity).toBe('');
    const error = logs.find((l) => l['msg'] === 'the caches did not fill in time: nothing can be reconciled');
    expect(error?.['notSynced']).toEqual(['secrets in namespace locked: 403 Forbidden']);
    expect(await registry.getSingleMetricAsString('gko_controller_cache_not_synced')).toContain(
      'gko_controller_cache_not_synced{resource="secrets",namespace="locked"} 1',
    );
    cache.emit(object('ApiV4Definition', 'orders'), 'add');
    cache.markSynced();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(manager.healthy()).toBe(true);
    expect(store.current?.holderIdentity).toBe('a');
    expect(calls.map((c) => c.name)).toEqual(['orders']);
    await manager.stop();
  });
});
