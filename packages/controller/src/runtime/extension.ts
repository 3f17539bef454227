// What a controller beyond our kinds brings to the manager (the Ingress controller): reconcilers under
// names of their own, indexes on the cache, routes from cache events to keys, and work that runs only
// while this process leads.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent, KubeConnection } from '@gko/kube';
import type { Logger } from '@gko/runtime';
import type { CacheReader, Reconciler } from '../reconcile/contract.ts';

export interface Target {
  /** The name of the controller (a kind, or a name of its own). */
  kind: string;
  /** "namespace/name". */
  key: string;
}

/** A Secret or a ConfigMap. */
export interface SourceId {
  kind: 'Secret' | 'ConfigMap';
  namespace: string;
  name: string;
}

export interface ManagerExtension {
  controllers: { kind: string; reconcile: Reconciler }[];
  indexes?: { kind: string; name: string; values: (object: KubernetesObject) => string[] }[];
  /** The Secrets and ConfigMaps an object of one of its controllers reads the data of (an Ingress's TLS Secrets). */
  sources?(object: KubernetesObject): SourceId[];
  /** Whether it reads the data of this Secret or ConfigMap (so that the cache keeps it whole). */
  readsData?(object: KubernetesObject, cache: CacheReader): boolean;
  /** The keys to reconcile after a cache event (the object's own controller is already told). */
  route?(object: KubernetesObject, event: InformerEvent, cache: CacheReader): Target[];
  start?(runtime: {
    kube: KubeConnection;
    logger: Logger;
    cache: CacheReader;
    enqueue: (target: Target) => void;
  }): void;
  stop?(): void;
}
