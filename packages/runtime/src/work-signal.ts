// The abort signal of the piece of work a call belongs to (a reconcile), without passing it through
// every signature: calls made inside `withWorkSignal` are cancelled when the work is abandoned (the
// process stops leading, or shuts down), so that nothing the work started lands afterwards.
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

export function withWorkSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return current.run(signal, work);
}

/** The signal of the work this call belongs to, if any. */
export function currentWorkSignal(): AbortSignal | undefined {
  return current.getStore();
}
