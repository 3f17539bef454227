// What can stop a reconcile, sorted by what helps: a missing reference may appear (retry with backoff,
// and its arrival re-enqueues the object); a spec that cannot work as written waits for a change
// (terminal); APIM's answers are classified by ApimError itself.
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

/** The spec cannot be synchronised as written; only a change of the object can help. */
export class InvalidSpecError extends Error {
  override name = 'InvalidSpecError';
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
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
  | { kind: 'apim'; reason: 'ApimRejected' | 'ApimUnavailable'; message: string; terminal: boolean }
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
  if (error instanceof ApimError)
    return error.terminal
      ? { kind: 'apim', reason: 'ApimRejected', message, terminal: true }
      : { kind: 'apim', reason: 'ApimUnavailable', message, terminal: false };
  return { kind: 'other', reason: 'ReconcileError', message };
}
