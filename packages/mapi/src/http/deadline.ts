// A deadline for every APIM call made inside a piece of work (an admission request), without passing
// it through every signature: each attempt gets at most the time left, no retry starts that cannot
// finish in time, and the calls still waiting when the work is abandoned are cancelled.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface ApimDeadline {
  /** Epoch milliseconds after which no call may still be waiting. */
  at: number;
  /** Aborted when the work is abandoned. */
  signal?: AbortSignal;
}

const current = new AsyncLocalStorage<ApimDeadline>();

/** Runs `work` with every APIM call it makes bound by the deadline. */
export function withApimDeadline<T>(deadline: ApimDeadline, work: () => Promise<T>): Promise<T> {
  return current.run(deadline, work);
}

/** The deadline of the work this call belongs to, if any. */
export function currentApimDeadline(): ApimDeadline | undefined {
  return current.getStore();
}
