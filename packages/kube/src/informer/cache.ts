// The objects the operator reads, kept in memory by one informer per resource: our kinds, and the
// Secrets and ConfigMaps they refer to.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../client/kube-client.ts';
import { Informer, type InformerOptions } from './informer.ts';
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

  constructor(client: KubeClient, options: ClusterCacheOptions = {}) {
    const resources = options.resources ?? [...GRAVITEE_RESOURCES, SECRETS, CONFIG_MAPS];
    const namespaces = options.namespaces && options.namespaces.length > 0 ? options.namespaces : [undefined];
    for (const resource of resources) {
      this.informers.set(
        resource.kind,
        namespaces.map(
          (namespace) => new Informer(client, resource, { ...options, ...(namespace ? { namespace } : {}) }),
        ),
      );
    }
  }

  private all(): Informer[] {
    return [...this.informers.values()].flat();
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

  sizes(): Record<string, number> {
    return Object.fromEntries(
      [...this.informers].map(([kind, informers]) => [kind, informers.reduce((n, i) => n + i.size, 0)]),
    );
  }

  /** Called for every change of any resource (e.g. to refresh clients when a context changes). */
  onChange(handler: (object: KubernetesObject) => void): void {
    for (const informer of this.all()) informer.on((object) => handler(object));
  }
}
