// A local copy of the objects of one resource, kept current by list + watch, that survives what
// watches do in practice: a watch that ends (re-watch from the last version seen), a version too old
// (410 Gone: list again), errors (list again after a capped, jittered backoff) and connections that
// die silently (a watchdog gives up a watch that hears nothing, and resumes it). Handlers hear of every
// change, and of every cached object again each resync period, without asking the API server.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay, type Logger } from '@gko/runtime';
import type { KubeConnection } from '../client/connection.ts';
import { asError } from './api-errors.ts';
import { isWithoutData } from './data-policy.ts';
import { IndexedStore, keyOf } from './indexed-store.ts';
import {
  resolveInformerOptions,
  watchTimeoutSeconds,
  watchdogFor,
  type InformerOptions,
  type ResolvedInformerOptions,
  type RestartReason,
} from './informer-options.ts';
import type { IndexFunction } from './object-index.ts';
import { listAll } from './paged-list.ts';
import { collectionPath, type ResourceType } from './resource.ts';
import { watchOnce, type WatchEventType, type WatchOutcome } from './watch-once.ts';

/** 'resync': no change, the object is handed again at the resync period. */
export type InformerEvent = 'add' | 'update' | 'delete' | 'resync';
/** May be async: the informer does not wait for it, but logs its failure. */
export type InformerHandler<T> = (object: T, event: InformerEvent) => unknown;

/** A watch ending sooner than this is a symptom, not the normal end of its timeout. */
const SHORT_WATCH_MS = 1_000;
export class Informer<T extends KubernetesObject = KubernetesObject> {
  readonly resource: ResourceType;
  /** Resolves once the first list is cached. */
  readonly synced: Promise<void>;
  private readonly connection: KubeConnection;
  private readonly options: ResolvedInformerOptions<T>;
  private readonly logger: Logger;
  private readonly store: IndexedStore<T>;
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly stopping = new AbortController();
  private resourceVersion = '';
  private running: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private failingSince: number | undefined;
  private lastError: string | undefined;
  private hasSynced = false;
  private markSynced: () => void = () => {};

  constructor(connection: KubeConnection, resource: ResourceType, options: InformerOptions<T> = {}) {
    this.connection = connection;
    this.resource = resource;
    this.options = resolveInformerOptions(options);
    this.logger = this.options.logger.child({ resource: resource.plural });
    this.store = new IndexedStore<T>((index, error) =>
      this.logger.error('index function failed; object left out of the index', { index, error }),
    );
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  get isSynced(): boolean {
    return this.hasSynced;
  }

  get isStarted(): boolean {
    return this.running !== undefined;
  }

  /**
   * How long list and watch have been failing without a break, for readiness: undefined while the
   * watch is established (or nothing failed yet).
   */
  failingSinceMs(): number | undefined {
    return this.failingSince === undefined ? undefined : Date.now() - this.failingSince;
  }

  /** What this informer follows, and why it is not synced yet, if it is not. */
  syncState(): { resource: string; namespace: string | undefined; synced: boolean; error: string | undefined } {
    return {
      resource: this.resource.plural,
      namespace: this.options.namespace,
      synced: this.hasSynced,
      error: this.lastError,
    };
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string, name: string): T | undefined {
    return this.store.get(namespace, name);
  }

  list(namespace?: string): T[] {
    return this.store.list(namespace);
  }

  get size(): number {
    return this.store.size;
  }

  /**
   * Indexes objects by the values `indexFunction` gives them (e.g. the contexts they refer to); kept
   * current with every change. Objects already cached are indexed at once.
   */
  addIndex(name: string, indexFunction: IndexFunction<T>): void {
    this.store.addIndex(name, indexFunction);
  }

  /** The cached objects that `name`'s index function gave this value. */
  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  /**
   * Puts a copy read from the API server in place of `expected`, a cached object kept without its
   * data, and tells the handlers (an update: whoever waited for its data comes back). Ignored when
   * the cache has moved on since (the object went, changed, or another replaced it), or when the
   * copy would be cached without its data all the same.
   */
  refill(object: T, expected: T): boolean {
    const prepared = this.prepare(object);
    const cached = this.store.get(prepared.metadata?.namespace ?? '', prepared.metadata?.name ?? '');
    if (cached !== expected || isWithoutData(prepared) || cached.metadata?.uid !== prepared.metadata?.uid) return false;
    this.store.set(prepared);
    this.emit(prepared, 'update');
    return true;
  }

  /** Applies the transform again to a cached object, with no event: what it keeps may have changed. */
  retransform(namespace: string, name: string): void {
    const cached = this.store.get(namespace, name);
    if (!cached || isWithoutData(cached)) return;
    const again = this.options.transform(cached);
    if (again !== cached) this.store.set(again);
  }

  start(): void {
    if (this.running || this.stopping.signal.aborted) return;
    this.running = this.run();
    if (this.options.resyncMs > 0) {
      this.resyncTimer = setInterval(() => this.replay(), this.options.resyncMs);
      this.resyncTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.resyncTimer);
    await this.running;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let shortWatches = 0;
    let needsList = true;
    while (!this.stopping.signal.aborted) {
      try {
        if (needsList) {
          await this.relist();
          needsList = false;
        }
        const openedAt = performance.now();
        const outcome = await this.watch();
        if (outcome === 'unreachable') {
          // The API server is down or restarting: the same version is watched again after a backoff,
          // with no list of everything (a restarted server answers 410 if it cannot resume from it).
          this.failingSince ??= Date.now();
          const delayMs = backoffDelay(failures++, this.options.backoff);
          this.restarted('error', 'the API server cannot be reached; watching again from the same version', {
            delayMs,
            failures,
          });
          await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => {});
          continue;
        }
        failures = 0;
        if (outcome === 'gone') {
          needsList = true;
          this.restarted('gone', 'resource version too old; listing again');
        } else if (outcome === 'stalled') {
          this.restarted('watchdog', 'watch silent for too long; resuming it');
        }
        // A watch that ends as soon as it opens says the server is unwell (or restarting): reopening
        // it at once would make a loop of requests. Backed off as client-go does, reset by a watch
        // that lasts. (A 410 is answered by a list at once: the next watch starts from a fresh version.)
        if (outcome !== 'ended' || performance.now() - openedAt >= SHORT_WATCH_MS) shortWatches = 0;
        else if (!this.stopping.signal.aborted) {
          const delayMs = backoffDelay(shortWatches++, this.options.backoff);
          this.logger.warn('the watch ended as soon as it opened; waiting before the next', { delayMs, shortWatches });
          await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => {});
        }
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.failingSince ??= Date.now();
        this.lastError = asError(error).message;
        const delayMs = backoffDelay(failures++, this.options.backoff);
        this.restarted('error', 'list or watch failed; listing again', {
          error: asError(error).message,
          delayMs,
          failures,
        });
        needsList = true;
        await sleep(delayMs, undefined, { signal: this.stopping.signal }).catch(() => {});
      }
    }
  }

  private restarted(reason: RestartReason, message: string, fields: Record<string, unknown> = {}): void {
    this.options.onRestart?.(reason);
    this.logger[reason === 'error' ? 'warn' : 'info'](message, fields);
  }

  /** Replaces the cache with a fresh list; handlers hear of the differences. */
  private async relist(): Promise<void> {
    const { items, resourceVersion } = await listAll<T>({
      connection: this.connection,
      resource: this.resource,
      namespace: this.options.namespace,
      pageSize: this.options.pageSize,
      pageTimeoutMs: this.options.listPageTimeoutMs,
      signal: this.stopping.signal,
      prepare: (item) => this.prepare(item),
      onExpired: () => this.restarted('gone', 'continue token expired; listing again from the first page'),
    });
    const fresh = new Map(items.map((item) => [keyOf(item), item]));
    const deleted = this.store.list().filter((old) => !fresh.has(keyOf(old)));
    const changes: [T, InformerEvent][] = [];
    for (const object of fresh.values()) {
      const old = this.store.get(object.metadata?.namespace ?? '', object.metadata?.name ?? '');
      if (!old) changes.push([object, 'add']);
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) changes.push([object, 'update']);
    }
    // The cache first, then the handlers, so that a handler reading the cache sees what it is told.
    this.store.replace(fresh.values());
    this.resourceVersion = resourceVersion;
    for (const object of deleted) this.emit(object, 'delete');
    for (const [object, event] of changes) this.emit(object, event);
    this.hasSynced = true;
    this.markSynced();
  }

  private async watch(): Promise<WatchOutcome> {
    let established = false;
    const timeoutSeconds = watchTimeoutSeconds(this.options.watchSeconds);
    const outcome = await watchOnce<T>({
      connection: this.connection,
      path: collectionPath(this.resource, this.options.namespace),
      resourceVersion: this.resourceVersion,
      timeoutSeconds,
      watchdogMs: watchdogFor(this.options.watchdogMs, timeoutSeconds),
      signal: this.stopping.signal,
      onEvent: (type, object) => this.apply(type, object),
      onEstablished: () => {
        established = true;
        this.failingSince = undefined;
      },
    });
    // No answer at all is a failing connection, not just a quiet one.
    if (outcome === 'stalled' && !established) this.failingSince ??= Date.now();
    return outcome;
  }

  private apply(type: WatchEventType, object: T): void {
    if (type === 'BOOKMARK') {
      this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
      return;
    }
    const prepared = this.prepare(object);
    this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
    if (type === 'DELETED') {
      this.store.delete(prepared);
      this.emit(prepared, 'delete');
    } else {
      const previous = this.store.set(prepared);
      this.emit(prepared, previous ? 'update' : 'add');
    }
  }

  /** What is cached of an object: typed (list items come without apiVersion and kind), then transformed. */
  private prepare(object: T): T {
    return this.options.transform({ ...object, apiVersion: this.resource.apiVersion, kind: this.resource.kind });
  }

  /** Every cached object again, with no call to the API server. */
  private replay(): void {
    if (!this.isSynced) return;
    for (const object of this.store.list()) this.emit(object, 'resync');
  }

  /** One failing handler must not keep the others, nor the informer, from their work. */
  private emit(object: T, event: InformerEvent): void {
    for (const handler of this.handlers) {
      try {
        const result = handler(object, event);
        if (result instanceof Promise) result.catch((error: unknown) => this.handlerFailed(error, event));
      } catch (error) {
        this.handlerFailed(error, event);
      }
    }
  }

  private handlerFailed(error: unknown, event: InformerEvent): void {
    this.logger.error('informer handler failed', { error, event });
  }
}
