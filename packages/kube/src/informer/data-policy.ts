// Secrets and ConfigMaps are cached for what the operator reads of them. Their metadata always (a
// name taken, the marks kept on them); their data only where something reads it: the Secrets and
// ConfigMaps our objects name, and those the operator writes itself. The thousands of others a
// namespace holds would otherwise sit in memory, data and all, for nothing.
import type { KubernetesObject } from '@kubernetes/client-node';

/** Whether an object's data is kept in the cache. */
export type KeepData = (object: KubernetesObject) => boolean;

const DATA_FIELDS = new Set(['data', 'binaryData', 'stringData']);
// Client-side apply (kubectl, Argo CD's default) keeps the whole object, data included, here.
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// Objects cached without their data: an object, not a field of it, so that nothing that serialises
// the object (a status, a log) can mistake the mark for content.
const dropped = new WeakSet<object>();

/** The object without its data (nor a copy of it in an annotation), marked as such. */
export function withoutData<T extends KubernetesObject>(object: T): T {
  const kept = Object.fromEntries(Object.entries(object).filter(([field]) => !DATA_FIELDS.has(field))) as T;
  const annotations = object.metadata?.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _copy, ...others } = annotations;
    kept.metadata = { ...object.metadata, annotations: others };
  }
  dropped.add(kept);
  return kept;
}

/** True for an object cached without its data (its data must be read before it is used). */
export function isWithoutData(object: KubernetesObject | undefined): boolean {
  return !!object && dropped.has(object);
}

/**
 * The data of a Secret or ConfigMap was asked for while the cache holds it without: reading it was
 * started (see ClusterCache.get), and whoever asked comes back in a moment.
 */
export class DataNotLoadedError extends Error {
  override name = 'DataNotLoadedError';
  readonly kind: string;
  readonly namespace: string;
  readonly objectName: string;
  constructor(object: KubernetesObject) {
    const { kind = '', metadata } = object;
    super(`the data of ${kind} ${metadata?.namespace}/${metadata?.name} is not in the cache yet`);
    this.kind = kind;
    this.namespace = metadata?.namespace ?? '';
    this.objectName = metadata?.name ?? '';
  }
}
