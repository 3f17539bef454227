// The objects the operator reads, kept in memory by one informer per resource (and per namespace
// when the operator is limited to some): our kinds, and the Secrets and ConfigMaps they refer to.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection } from '../client/connection.ts';
import { getObject } from '../client/get-object.ts';
import { isWithoutData, withoutData, type KeepData } from './data-policy.ts';
import { silentLogger, type Logger } from '@gko/runtime';
import { Informer, type InformerHandler } from './informer.ts';
import type { InformerOptions } from './informer-options.ts';
import type { IndexFunction } from './object-index.ts';
import { CONFIG_MAPS, GRAVITEE_RESOURCES, SECRETS, type ResourceType } from './resource.ts';
import { dropManagedFields } from './transform.ts';

/** Why a Secret or ConfigMap informer is not synced while the others are being listed (see start). */
export const NOT_LISTED_YET = 'not listed yet: listed once the other resources are';

/** The kinds whose data may be left out of the cache (see data-policy.ts). */
const DATA_KINDS = new Set([SECRETS.kind, CONFIG_MAPS.kind]);
/** Longest wait for one object read to fill in the data of a cached one. */
const LOAD_TIMEOUT_MS = 10_000;
/** Reads of data at once: a burst of objects naming Secrets must not become a burst of GETs. */
const LOADS_AT_ONCE = 8;

export interface ObjectCache {
  get(kind: string, namespace: string, name: string): KubernetesObject | undefined;
  list(kind: string, namespace?: string): KubernetesObject[];
}

export interface ClusterCacheOptions extends Omit<InformerOptions, 'namespace'> {
  /** Watched namespaces; every namespace when empty. */
  namespaces?: string[];
  resources?: ResourceType[];
}

export class ClusterCache implements ObjectCache {
  private readonly informers = new Map<string, Informer[]>();
  private readonly connection: KubeConnection;
  private keepData: KeepData | undefined;
  private stopped = false;
  private readonly logger: Logger;
  /** Reads of data in flight or waiting for their turn, by kind/namespace/name. */
  private readonly loads = new Map<string, Promise<void>>();
  private loadsRunning = 0;
  private readonly loadTurns: (() => void)[] = [];

  constructor(connection: KubeConnection, options: ClusterCacheOptions = {}) {
    this.connection = connection;
    this.logger = options.logger ?? silentLogger;
    const resources = options.resources ?? [...GRAVITEE_RESOURCES, SECRETS, CONFIG_MAPS];
    const namespaces = options.namespaces && options.namespaces.length > 0 ? options.namespaces : [undefined];
    const transform = options.transform ?? dropManagedFields;
    // Read at each object: the policy is given after the cache is made, before it starts.
    const dataTransform = (object: KubernetesObject) => {
      // Already without data (a cached copy transformed again): it stays so, marked.
      if (isWithoutData(object)) return withoutData(transform(object));
      const kept = transform(object);
      return this.keepData && !this.keepData(kept) ? withoutData(kept) : kept;
    };
    for (const resource of resources) {
      const informerOptions = DATA_KINDS.has(resource.kind) ? { ...options, transform: dataTransform } : options;
      this.informers.set(
        resource.kind,
        namespaces.map(
          (namespace) =>
            new Informer(connection, resource, { ...informerOptions, ...(namespace ? { namespace } : {}) }),
        ),
      );
    }
  }

  /**
   * From now on, Secrets and ConfigMaps are cached with their data only where `keep` says so; the
   * others are kept as metadata (isWithoutData tells them apart). Call before start: they are then
   * listed only once everything else is, so that `keep` can see which objects name them.
   */
  keepDataOnlyWhere(keep: KeepData): void {
    this.keepData = keep;
  }

  /**
   * Reads the data of a Secret or ConfigMap that was cached without it (one GET, a few at a time),
   * once something has come to need it. Nothing is done for one cached whole or not cached at all
   * (the watch brings it, data and all, if it is needed then). Concurrent calls share one read.
   * Throws what the read throws.
   */
  loadData(kind: string, namespace: string, name: string): Promise<void> {
    const id = `${kind}/${namespace}/${name}`;
    const running = this.loads.get(id);
    if (running) return running;
    const informer = this.holderOf(kind, namespace, name);
    const expected = informer?.get(namespace, name);
    if (!informer || !expected || !isWithoutData(expected)) return Promise.resolve();
    const load = this.inTurn(async () => {
      const found = await getObject(
        this.connection,
        informer.resource,
        { namespace, name },
        { timeoutMs: LOAD_TIMEOUT_MS },
      );
      // Gone meanwhile, or changed (the watch then brought it whole, or not needed any more).
      if (found) informer.refill(found, expected);
    }).finally(() => this.loads.delete(id));
    this.loads.set(id, load);
    return load;
  }

  private async inTurn(work: () => Promise<void>): Promise<void> {
    // A read that ends hands its place to the next waiting, so that no more than LOADS_AT_ONCE run.
    if (this.loadsRunning >= LOADS_AT_ONCE) await new Promise<void>((resolve) => this.loadTurns.push(resolve));
    else this.loadsRunning++;
    try {
      await work();
    } finally {
      const next = this.loadTurns.shift();
      if (next) next();
      else this.loadsRunning--;
    }
  }

  /** Drops the data of a Secret or ConfigMap that nothing needs any more (the policy decides). */
  releaseData(kind: string, namespace: string, name: string): void {
    this.holderOf(kind, namespace, name)?.retransform(namespace, name);
  }

  private holderOf(kind: string, namespace: string, name: string): Informer | undefined {
    if (!DATA_KINDS.has(kind)) return undefined;
    return (this.informers.get(kind) ?? []).find((i) => i.get(namespace, name));
  }

  private all(): Informer[] {
    return [...this.informers.values()].flat();
  }

  /** Indexes and index lookups are written in code for known kinds: a kind not followed is a mistake. */
  private informersOf(kind: string): Informer[] {
    const informers = this.informers.get(kind);
    if (!informers) throw new Error(`the cache does not follow ${kind}`);
    return informers;
  }

  start(): void {
    const later = this.keepData ? DATA_KINDS : new Set<string>();
    const first = [...this.informers].filter(([kind]) => !later.has(kind)).flatMap(([, informers]) => informers);
    for (const informer of first) informer.start();
    if (later.size === 0) return;
    // Secrets and ConfigMaps once the objects that name them are cached: the policy can then tell
    // at the first list which ones to keep whole, with no read of each afterwards.
    void Promise.all(first.map((i) => i.synced)).then(() => {
      if (this.stopped) return;
      for (const kind of later) for (const informer of this.informers.get(kind) ?? []) informer.start();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.all().map((i) => i.stop()));
  }

  /** Resolves once every informer has listed once. */
  async synced(): Promise<void> {
    await Promise.all(this.all().map((i) => i.synced));
  }

  get isSynced(): boolean {
    return this.all().every((i) => i.isSynced);
  }

  /** The informers whose first list has not succeeded yet, with the last error of each. */
  unsynced(): { resource: string; namespace: string | undefined; error: string | undefined }[] {
    return this.all()
      .filter((i) => !i.isSynced)
      .map((i) => {
        const { resource, namespace, error } = i.syncState();
        // Not a failure of its own: it waits for the others (see start).
        const waiting = !i.isStarted && !this.stopped ? NOT_LISTED_YET : undefined;
        return { resource, namespace, error: error ?? waiting };
      });
  }

  /** For readiness: how long the longest-failing informer has been failing; 0 when all are healthy. */
  failingForMs(): number {
    return Math.max(0, ...this.all().map((i) => i.failingSinceMs() ?? 0));
  }

  get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    for (const informer of this.informers.get(kind) ?? []) {
      const found = informer.get(namespace, name);
      if (!found) continue;
      // Asked for while cached without its data although something needs it (a list that raced a
      // read, a read that failed): read it now, so that whoever asked finds it when it comes back.
      if (this.keepData && isWithoutData(found) && this.keepData(found))
        this.loadData(kind, namespace, name).catch((error: unknown) =>
          this.logger.warn('could not read the data of a Secret or ConfigMap', { kind, namespace, name, error }),
        );
      return found;
    }
    return undefined;
  }

  list(kind: string, namespace?: string): KubernetesObject[] {
    return (this.informers.get(kind) ?? []).flatMap((i) => i.list(namespace));
  }

  /** Indexes the objects of a kind, in every namespace followed (see Informer.addIndex). */
  addIndex(kind: string, name: string, indexFunction: IndexFunction<KubernetesObject>): void {
    for (const informer of this.informersOf(kind)) informer.addIndex(name, indexFunction);
  }

  byIndex(kind: string, name: string, value: string): KubernetesObject[] {
    return this.informersOf(kind).flatMap((i) => i.byIndex(name, value));
  }

  sizes(): Record<string, number> {
    return Object.fromEntries(
      [...this.informers].map(([kind, informers]) => [kind, informers.reduce((n, i) => n + i.size, 0)]),
    );
  }

  /**
   * Called for every change of any resource (e.g. to refresh clients when a context changes), and for
   * every cached object at each resync period, with event 'resync'.
   */
  onChange(handler: InformerHandler<KubernetesObject>): void {
    for (const informer of this.all()) informer.on(handler);
  }
}
