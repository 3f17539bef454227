import { backoffDelay, type BackoffPolicy } from '@gko/runtime';

// The reconcile contract's outcome and what it means for the next attempt. Reconciling is
// level-triggered: each attempt reads the desired state afresh, so retrying is always safe; the only
// question is when.

export type Outcome =
  /**
   * In sync. Optionally look again later, to notice changes made behind our back. `driftDetected`: a
   * difference outside the cluster was found and reported, not repaired (counted by the controller).
   */
  | { kind: 'done'; resyncAfterMs?: number; driftDetected?: boolean }
  /** Not finished yet (e.g. waiting for a dependency); come back after a fixed delay. */
  | { kind: 'requeue'; afterMs: number }
  /**
   * Failed. A terminal failure waits for the object to change; any other is retried with backoff
   * (`retry` when the failure needs a slower one than the controller's).
   */
  | { kind: 'failed'; error: Error; terminal: boolean; retry?: RetryPolicy };

export type RetryPolicy = BackoffPolicy;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 5 * 60_000, jitter: 0.2 };

/**
 * For what only someone else's action fixes (a permission granted in APIM, an object that still uses
 * this one being deleted): tried again rarely, and sooner when an event says it may have changed.
 */
export const SLOW_RETRY_POLICY: RetryPolicy = { baseDelayMs: 15_000, maxDelayMs: 10 * 60_000, jitter: 0.2 };

/**
 * How long to wait before reconciling the same object again, or undefined for "only when it changes".
 * `consecutiveFailures` counts the failures before this one.
 */
export function delayBeforeNextAttempt(
  outcome: Outcome,
  consecutiveFailures: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number | undefined {
  switch (outcome.kind) {
    case 'done':
      return outcome.resyncAfterMs;
    case 'requeue':
      return outcome.afterMs;
    case 'failed':
      return outcome.terminal ? undefined : backoffDelay(consecutiveFailures, outcome.retry ?? policy, random);
  }
}
