// A local copy of the objects of one resource, kept current by list + watch, that survives what
// watches do in practice: a watch that ends (re-watch from the last version seen), a version too old
// (410 Gone: list again), errors (retry with capped, jittered backoff), silent stalls (the watch's
// inactivity timeout ends it; it is then resumed), and drift (a full list every resync period).
import type { KubernetesObject } from '@kubernetes/client-node';
import { backoffDelay, silentLogger, type BackoffPolicy, type Logger } from '@gko/runtime';
import type { KubeClient } from '../client/kube-client.ts';
import { collectionPath, type ResourceType } from './resource.ts';

export type InformerEvent = 'add' | 'update' | 'delete';
export type InformerHandler<T> = (object: T, event: InformerEvent) => void;

export interface InformerOptions {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  /** Full list, even when the watch is healthy. */
  resyncMs?: number;
  /** Seconds after which the server ends each watch (the client resumes it). */
  watchSeconds?: number;
  pageSize?: number;
  backoff?: BackoffPolicy;
  logger?: Logger;
  /** Called when the informer gives up a watch or a list and retries (for metrics). */
  onRestart?: (reason: string) => void;
}

const DEFAULTS = {
  resyncMs: 10 * 60_000,
  watchSeconds: 25,
  pageSize: 500,
  backoff: { baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.3 } satisfies BackoffPolicy,
};

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class Informer<T extends KubernetesObject = KubernetesObject> {
  readonly resource: ResourceType;
  private readonly client: KubeClient;
  private readonly options: InformerOptions;
  private readonly store = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly logger: Logger;
  private resourceVersion = '';
  private lastList = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private wake: (() => void) | undefined;
  private syncedResolve: (() => void) | undefined;
  readonly synced: Promise<void>;
  private isSyncedFlag = false;

  constructor(client: KubeClient, resource: ResourceType, options: InformerOptions = {}) {
    this.client = client;
    this.resource = resource;
    this.options = options;
    this.logger = (options.logger ?? silentLogger).child({ resource: resource.plural });
    this.synced = new Promise((resolve) => (this.syncedResolve = resolve));
  }

  get isSynced(): boolean {
    return this.isSyncedFlag;
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
  }

  get(namespace: string, name: string): T | undefined {
    return this.store.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.store.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  get size(): number {
    return this.store.size;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.running;
  }

  private emit(object: T, event: InformerEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(object, event);
      } catch (error) {
        this.logger.error('informer handler failed', { error });
      }
    }
  }

  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => (clearTimeout(timer), resolve());
    });
    this.wake = undefined;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let relist = true;
    const resyncMs = this.options.resyncMs ?? DEFAULTS.resyncMs;
    while (!this.stopped) {
      try {
        if (relist || Date.now() - this.lastList > resyncMs) {
          await this.relist();
          relist = false;
        }
        const outcome = await this.watchOnce();
        if (outcome === 'gone') relist = true;
        failures = 0;
      } catch (error) {
        if (this.stopped) break;
        const delay = backoffDelay(failures++, this.options.backoff ?? DEFAULTS.backoff);
        const reason = (error as Error).message;
        this.options.onRestart?.(reason);
        this.logger.warn('list or watch failed; retrying', { error: reason, delayMs: delay, failures });
        relist = true;
        await this.sleep(delay);
      }
    }
  }

  /** Replaces the store with a fresh list, telling handlers what changed. */
  private async relist(): Promise<void> {
    const fresh = new Map<string, T>();
    let continueToken: string | undefined;
    let version = '';
    do {
      const page = await this.client.objects.list<T>(
        this.resource.apiVersion,
        this.resource.kind,
        this.options.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        this.options.pageSize ?? DEFAULTS.pageSize,
        continueToken,
      );
      for (const item of page.items)
        fresh.set(keyOf(item), { ...item, apiVersion: this.resource.apiVersion, kind: this.resource.kind });
      continueToken = page.metadata?._continue || undefined;
      version = page.metadata?.resourceVersion ?? version;
    } while (continueToken);
    for (const [key, old] of this.store) if (!fresh.has(key)) this.emit(old, 'delete');
    for (const [key, object] of fresh) {
      const old = this.store.get(key);
      if (!old) this.emit(object, 'add');
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.emit(object, 'update');
    }
    this.store.clear();
    for (const [key, object] of fresh) this.store.set(key, object);
    this.resourceVersion = version;
    this.lastList = Date.now();
    if (!this.isSyncedFlag) {
      this.isSyncedFlag = true;
      this.syncedResolve?.();
    }
  }

  /** One watch, from the last version seen, until it ends; 'gone' when the version is too old. */
  private watchOnce(): Promise<'ended' | 'gone'> {
    return new Promise((resolve, reject) => {
      let gone = false;
      const path = collectionPath(this.resource, this.options.namespace);
      const query = {
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchSeconds ?? DEFAULTS.watchSeconds,
      };
      const onEvent = (type: string, object: T) => {
        if (type === 'ERROR') {
          const status = object as unknown as { code?: number; message?: string };
          if (status.code === 410) gone = true;
          else this.logger.warn('watch error event', { code: status.code, message: status.message });
          return;
        }
        const version = object.metadata?.resourceVersion;
        if (version) this.resourceVersion = version;
        if (type === 'BOOKMARK') return;
        const typed = { ...object, apiVersion: this.resource.apiVersion, kind: this.resource.kind };
        const key = keyOf(typed);
        if (type === 'DELETED') {
          this.store.delete(key);
          this.emit(typed, 'delete');
        } else {
          const existed = this.store.has(key);
          this.store.set(key, typed);
          this.emit(typed, existed ? 'update' : 'add');
        }
      };
      const onDone = (error: unknown) => {
        this.abort = undefined;
        const name = (error as { name?: string } | null)?.name;
        // The inactivity timeout or our own stop: the watch simply ends.
        if (!error || name === 'TimeoutError' || name === 'AbortError' || this.stopped)
          resolve(gone ? 'gone' : 'ended');
        else if ((error as { statusCode?: number }).statusCode === 410) resolve('gone');
        else reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      };
      this.client.watch.watch(path, query, onEvent, onDone).then((controller) => {
        this.abort = controller;
        if (this.stopped) controller.abort();
      }, reject);
    });
  }
}
