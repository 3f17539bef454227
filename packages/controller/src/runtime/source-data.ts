// Which Secrets and ConfigMaps the cache keeps whole (see data-policy.ts in @gko/kube): those an
// object of ours names, the gateway ConfigMaps the operator writes, and those an extension reads.
// When an object starts naming one that was cached as metadata only, its data is read once, and the
// reconciles wait for that read rather than take the Secret for empty.
import type { KubernetesObject } from '@kubernetes/client-node';
import { isGraviteeObject, objectDependencies } from '@gko/api';
import type { KeepData } from '@gko/kube';
import type { Logger } from '@gko/runtime';
import { directUsers, idOf } from '../dependencies/users.ts';
import { isLocalModeConfigMap } from '../local-mode/configmap.ts';
import type { CacheReader } from '../reconcile/contract.ts';
import type { ManagerExtension, SourceId } from './extension.ts';

const isSource = (d: { kind: string }): d is SourceId => d.kind === 'Secret' || d.kind === 'ConfigMap';

/** The policy: a Secret or ConfigMap is kept whole when something here reads its data. */
export function keepsData(cache: CacheReader, extensions: readonly ManagerExtension[]): KeepData {
  return (object) =>
    isLocalModeConfigMap(object) ||
    directUsers(cache, idOf(object)).length > 0 ||
    extensions.some((e) => e.readsData?.(object, cache) ?? false);
}

/** The Secrets and ConfigMaps an object reads the data of directly. */
export function sourcesNamedBy(object: KubernetesObject, extensions: readonly ManagerExtension[]): SourceId[] {
  if (isGraviteeObject(object)) return objectDependencies(object).filter(isSource);
  return extensions.flatMap((e) => e.sources?.(object) ?? []);
}

export interface DataLoader {
  loadData(kind: string, namespace: string, name: string): Promise<void>;
}

/** The reads of data in flight, one per object, and a way to wait for them. */
export class SourceLoader {
  private readonly cache: DataLoader;
  private readonly logger: Logger;
  private readonly loading = new Map<string, Promise<void>>();

  constructor(cache: DataLoader, logger: Logger) {
    this.cache = cache;
    this.logger = logger;
  }

  /** Starts reading the data of those cached without it; a failure is logged (a reconcile reads again). */
  start(sources: readonly SourceId[]): void {
    for (const source of sources)
      this.read(source).catch((error: unknown) =>
        this.logger.warn('could not read the data of a Secret or ConfigMap', { ...source, error }),
      );
  }

  /**
   * Resolves once the data of these is cached (throwing when a read fails) and every read in
   * flight is over: a reconcile reads Secrets through other objects too (its context's credentials).
   */
  async ready(sources: readonly SourceId[]): Promise<void> {
    await Promise.all(sources.map((s) => this.read(s)));
    await Promise.allSettled([...this.loading.values()]);
  }

  private read(source: SourceId): Promise<void> {
    const key = `${source.kind}/${source.namespace}/${source.name}`;
    const running = this.loading.get(key);
    if (running) return running;
    const reading = this.cache
      .loadData(source.kind, source.namespace, source.name)
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`could not read ${source.kind} ${source.namespace}/${source.name}: ${reason}`, {
          cause: error,
        });
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, reading);
    return reading;
  }
}
