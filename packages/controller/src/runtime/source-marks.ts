// The marks this operator keeps on the Secrets and ConfigMaps its objects read, and those upstream's
// operator left there.
//
// A Secret holding a ManagementContext's credentials carries a finalizer while a context names it,
// even a context being deleted: the objects of that context are removed from APIM with those
// credentials, which must survive the deletion of their namespace and a restart of the operator in
// the middle of it (nothing in memory is needed). The finalizer is upstream's own name for it, so that
// a Secret upstream marked is taken over as it is.
//
// Upstream also marks templated Secrets and ConfigMaps (a finalizer, annotations listing readers).
// This operator finds readers through its dependency index and needs none of that: those marks are
// kept while a reader remains (upstream's bookkeeping stays true if it is ever run again) and
// released when the last reader is gone, or when the object is being deleted: otherwise they would
// hold it, and its namespace, for ever.
import { grantsReadTo, KINDS } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../reconcile/contract.ts';
import { directUsers, idOf } from '../dependencies/users.ts';

export const CREDENTIALS_FINALIZER = 'finalizers.gravitee.io/managementcontextSecret';
// keypair: on the TLS Secrets of Ingresses; the Ingress controller reads them without holding them.
const UPSTREAM_FINALIZERS = [
  CREDENTIALS_FINALIZER,
  'finalizers.gravitee.io/templating',
  'finalizers.gravitee.io/keypair',
];
const UPSTREAM_ANNOTATIONS = ['gravitee.io/references', ...KINDS.map((k) => `gravitee.io/${k.plural}`)];

export interface MarkChanges {
  /** Finalizers to add (the credentials finalizer). */
  add: string[];
  finalizers: string[];
  annotations: string[];
}

/** What to change in the marks of a Secret or ConfigMap now, or undefined when nothing. */
export function markChanges(object: KubernetesObject, cache: CacheReader): MarkChanges | undefined {
  if (object.kind !== 'Secret' && object.kind !== 'ConfigMap') return undefined;
  const present = object.metadata?.finalizers ?? [];
  const deleting = !!object.metadata?.deletionTimestamp;
  const users = directUsers(cache, idOf(object));
  // Only for a context that may read it: a context naming another namespace's Secret without that
  // namespace's grant must not hold it (nor its namespace).
  const namespace = object.metadata?.namespace ?? '';
  const credentials =
    object.kind === 'Secret' &&
    users.some((u) => u.kind === 'ManagementContext' && grantsReadTo(object, namespace, u.metadata?.namespace ?? ''));
  // No finalizer can be added to an object being deleted (the API server refuses it).
  const add = credentials && !deleting && !present.includes(CREDENTIALS_FINALIZER) ? [CREDENTIALS_FINALIZER] : [];
  const releasable = deleting || users.length === 0;
  // The credentials finalizer goes as soon as no context holds the Secret, whoever else reads it.
  const finalizers = present.filter((f) =>
    f === CREDENTIALS_FINALIZER ? !credentials : releasable && UPSTREAM_FINALIZERS.includes(f),
  );
  const annotations = releasable
    ? Object.keys(object.metadata?.annotations ?? {}).filter((a) => UPSTREAM_ANNOTATIONS.includes(a))
    : [];
  return add.length + finalizers.length + annotations.length > 0 ? { add, finalizers, annotations } : undefined;
}
