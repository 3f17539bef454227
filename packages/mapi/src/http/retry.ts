// When a failed call to APIM is worth trying again, and after how long. Only idempotent calls are
// retried (every call the operator makes is a GET, PUT or DELETE), and only when the failure may go
// away: network errors, timeouts, 429 and 5xx. A 4xx other than 429 never does.
import { backoffDelay, type BackoffPolicy } from '@gko/runtime';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export type AttemptOutcome = { status: number; retryAfter?: string | null } | { error: 'network' | 'timeout' };

export interface RetryContext {
  method: string;
  outcome: AttemptOutcome;
  /** 0 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  policy: BackoffPolicy;
  random?: () => number;
  now?: () => number;
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After, in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Milliseconds to wait before the next attempt, or undefined to give up. */
export function retryDelay(context: RetryContext): number | undefined {
  const { method, outcome, attempt, maxAttempts, policy } = context;
  if (attempt + 1 >= maxAttempts || !IDEMPOTENT.has(method.toUpperCase())) return undefined;
  if ('status' in outcome && !isRetryableStatus(outcome.status)) return undefined;
  const backoff = backoffDelay(attempt, policy, context.random);
  const asked = 'status' in outcome ? retryAfterMs(outcome.retryAfter, (context.now ?? Date.now)()) : undefined;
  // Honour the server's Retry-After, but never wait longer than the policy allows.
  return asked === undefined ? backoff : Math.min(policy.maxDelayMs, Math.max(backoff, asked));
}
