// What can stop a reconcile, sorted by what helps: a missing reference may appear (retry with backoff,
// and its arrival re-enqueues the object); a spec that cannot work as written waits for a change
// (terminal); APIM's answers are classified by ApimError itself.
import { DataNotLoadedError } from '@gko/kube';
import { ApimError, ContextError, IdentityConflictError, UnresolvedReferenceError } from '@gko/mapi';

/** Something the object refers to is not there (yet). */
export class MissingReferenceError extends Error {
  override name = 'MissingReferenceError';
  readonly field: string;
  constructor(field: string, kind: string, namespace: string, name: string, detail = 'does not exist') {
    super(`${field}: ${kind} ${namespace}/${name} ${detail}`);
    this.field = field;
  }
}

/**
 * What the object refers to is in the cluster but not in APIM yet (an API and its subscriptions
 * applied together): usually a matter of seconds, and its arrival wakes this object.
 */
export class PendingReferenceError extends MissingReferenceError {
  override name = 'PendingReferenceError';
}

/** An object referred to, as far as its status goes. */
export interface ReferredObject {
  kind?: string;
  metadata: { namespace?: string; name?: string; generation?: number };
  status?: { conditions?: { type: string; status: string; reason?: string; observedGeneration?: number }[] };
}

/**
 * For a reference found in the cluster but not in APIM yet: pending while it is on its way (quiet,
 * see PENDING_GRACE_MS), or said at once, with its reason, when its own synchronisation failed.
 */
export function notInApimYet(field: string, target: ReferredObject, detail = 'is not in APIM yet'): Error {
  const { namespace = '', name = '', generation } = target.metadata;
  const kind = target.kind ?? '';
  const ready = target.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False' && ready.observedGeneration === generation)
    return new MissingReferenceError(
      field,
      kind,
      namespace,
      name,
      `${detail}: it failed to synchronise (${ready.reason})`,
    );
  return new PendingReferenceError(field, kind, namespace, name, detail);
}

/** An object of the cluster whose change may lift a refusal, although the spec did not change. */
export interface RefusalCause {
  kind: string;
  namespace: string;
  name: string;
}

/**
 * The spec cannot be synchronised as written; only a change of the object can help, or a change of
 * `blockedBy` when the refusal comes from another object in the way (a ConfigMap of the same name).
 */
export class InvalidSpecError extends Error {
  override name = 'InvalidSpecError';
  readonly reason: string;
  readonly blockedBy: RefusalCause | undefined;
  constructor(reason: string, message: string, blockedBy?: RefusalCause) {
    super(message);
    this.reason = reason;
    this.blockedBy = blockedBy;
  }
}

/** Something in the way that is expected to clear by itself (retried with backoff). */
export class WaitingError extends Error {
  override name = 'WaitingError';
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

export type FailureClass =
  | { kind: 'reference'; reason: 'RefNotFound'; message: string }
  | { kind: 'invalid'; reason: string; message: string }
  | { kind: 'apim'; reason: 'ApimRejected' | 'ApimUnavailable' | 'Forbidden'; message: string; terminal: boolean }
  | { kind: 'waiting'; reason: string; message: string }
  | { kind: 'other'; reason: 'ReconcileError'; message: string };

/** Where an error belongs, the condition reason that says it, and whether retrying can help. */
export function classifyFailure(error: unknown): FailureClass {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MissingReferenceError || error instanceof UnresolvedReferenceError)
    return { kind: 'reference', reason: 'RefNotFound', message };
  // A context whose Secret is missing is a missing reference; any other context problem is its spec.
  if (error instanceof ContextError)
    return / does not exist$/.test(message)
      ? { kind: 'reference', reason: 'RefNotFound', message }
      : { kind: 'invalid', reason: 'InvalidContext', message };
  if (error instanceof InvalidSpecError) return { kind: 'invalid', reason: error.reason, message };
  if (error instanceof IdentityConflictError) return { kind: 'invalid', reason: 'IdentityConflict', message };
  if (error instanceof WaitingError) return { kind: 'waiting', reason: error.reason, message };
  // Its read failed for longer than a moment: the operator's log says why (a permission, say).
  if (error instanceof DataNotLoadedError)
    return { kind: 'waiting', reason: 'SourceNotRead', message: `${message} (see the operator's log)` };
  // Permissions are often granted in APIM after the object is applied: retried, slowly.
  if (error instanceof ApimError && error.status === 403)
    return { kind: 'apim', reason: 'Forbidden', message, terminal: false };
  if (error instanceof ApimError)
    return error.terminal
      ? { kind: 'apim', reason: 'ApimRejected', message, terminal: true }
      : { kind: 'apim', reason: 'ApimUnavailable', message, terminal: false };
  return { kind: 'other', reason: 'ReconcileError', message };
}
