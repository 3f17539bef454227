// The reconcile contract: a function of an object's key and of what every reconcile may use. It is
// level-triggered: it reads the object and everything it refers to afresh, compares with what is
// there, acts, writes status, and says when to come back (see Outcome).
import type { KubernetesObject } from '@kubernetes/client-node';
import type { EventRecorder, KubeConnection } from '@gko/kube';
import type { ApimClient, ContextObject } from '@gko/mapi';
import type { Logger } from '@gko/runtime';
import type { Outcome } from './result.ts';

export interface ObjectKey {
  namespace: string;
  name: string;
}

/** What reconcilers read: the informer caches of the operator's kinds, Secrets and ConfigMaps. */
export interface CacheReader {
  get(kind: string, namespace: string, name: string): KubernetesObject | undefined;
  list(kind: string, namespace?: string): KubernetesObject[];
  byIndex(kind: string, index: string, value: string): KubernetesObject[];
}

export interface ControllerSettings {
  /** Replace [[ secret ]] and [[ configmap ]] markers (ENABLE_TEMPLATING). */
  templating: boolean;
  /** Read synced objects back from APIM this often and repair differences; 0: never. */
  driftPeriodMs: number;
}

export interface ReconcileContext {
  readonly logger: Logger;
  readonly cache: CacheReader;
  readonly kube: KubeConnection;
  readonly events: EventRecorder;
  readonly settings: ControllerSettings;
  /**
   * A client for the APIM installation a context points to (kept and reused per target). With
   * `lastKnown`, a context that cannot be resolved any more falls back to its last target (deletes).
   */
  apim(context: ContextObject, options?: { lastKnown?: boolean }): ApimClient;
  /** True when this reconcile was asked to compare with APIM (drift repair). */
  readonly verifyRemote: boolean;
  now(): Date;
}

export type Reconciler = (key: ObjectKey, context: ReconcileContext) => Promise<Outcome>;

export const keyString = (key: ObjectKey) => `${key.namespace}/${key.name}`;

export function parseKey(value: string): ObjectKey {
  const slash = value.indexOf('/');
  return { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}
