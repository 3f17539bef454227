// Upstream's operator marks the Secrets and ConfigMaps its objects read: a finalizer, and annotations
// listing the readers. This operator finds readers through its dependency index and needs none of
// that. Marks left behind after a take-over are kept while a reader remains (upstream's bookkeeping
// stays true if it is ever run again) and released when the last reader is gone, or when the Secret
// or ConfigMap is being deleted: otherwise they would hold it, and its namespace, for ever.
import { KINDS } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../reconcile/contract.ts';
import { directUsers, idOf } from '../dependencies/users.ts';

// keypair: on the TLS Secrets of Ingresses; the Ingress controller reads them without holding them.
const FINALIZERS = [
  'finalizers.gravitee.io/managementcontextSecret',
  'finalizers.gravitee.io/templating',
  'finalizers.gravitee.io/keypair',
];
const ANNOTATIONS = ['gravitee.io/references', ...KINDS.map((k) => `gravitee.io/${k.plural}`)];

export interface UpstreamMarks {
  finalizers: string[];
  annotations: string[];
}

/** The marks to release now, or undefined when there are none or a reader still uses the object. */
export function marksToRelease(object: KubernetesObject, cache: CacheReader): UpstreamMarks | undefined {
  if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return undefined;
  const finalizers = (object.metadata?.finalizers ?? []).filter((f) => FINALIZERS.includes(f));
  const annotations = Object.keys(object.metadata?.annotations ?? {}).filter((a) => ANNOTATIONS.includes(a));
  if (finalizers.length === 0 && annotations.length === 0) return undefined;
  const deleting = !!object.metadata?.deletionTimestamp;
  if (!deleting && directUsers(cache, idOf(object)).length > 0) return undefined;
  return { finalizers, annotations };
}
