// The objects the operator reads, kept in memory by one informer per resource (and per namespace
// when the operator is limited to some): our kinds, and the Secrets and ConfigMaps they refer to.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection } from '../client/connection.ts';
import { Informer, type InformerHandler } from './informer.ts';
import type { InformerOptions } from './informer-options.ts';
import type { IndexFunction } from './object-index.ts';
import { CONFIG_MAPS, GRAVITEE_RESOURCES, SECRETS, type ResourceType } from './resource.ts';

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

  constructor(connection: KubeConnection, options: ClusterCacheOptions = {}) {
    const resources = options.resources ?? [...GRAVITEE_RESOURCES, SECRETS, CONFIG_MAPS];
    const namespaces = options.namespaces && options.namespaces.length > 0 ? options.namespaces : [undefined];
    for (const resource of resources) {
      this.informers.set(
        resource.kind,
        namespaces.map(
          (namespace) => new Informer(connection, resource, { ...options, ...(namespace ? { namespace } : {}) }),
        ),
      );
    }
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
    for (const informer of this.all()) informer.start();
  }

  async stop(): Promise<void> {
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
      .map((i) => i.syncState())
      .filter((state) => !state.synced)
      .map(({ resource, namespace, error }) => ({ resource, namespace, error }));
  }

  /** For readiness: how long the longest-failing informer has been failing; 0 when all are healthy. */
  failingForMs(): number {
    return Math.max(0, ...this.all().map((i) => i.failingSinceMs() ?? 0));
  }

  get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    for (const informer of this.informers.get(kind) ?? []) {
      const found = informer.get(namespace, name);
      if (found) return found;
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
