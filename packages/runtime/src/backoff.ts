// Jittered exponential backoff, shared by retries of HTTP calls and requeues of reconciles.

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay that is randomised, so that many clients do not retry in step. */
  jitter: number;
}

/** Delay before retry number `attempt` (0 for the first retry): base × 2^attempt, capped, jittered. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  const spread = exponential * policy.jitter;
  return Math.round(Math.min(policy.maxDelayMs, exponential - spread + 2 * spread * random()));
}
