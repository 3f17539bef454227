import { describe, expect, it } from 'vitest';
import { delayBeforeNextAttempt, type RetryPolicy } from './result.ts';

const policy: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 };
const failure = (terminal: boolean) => ({ kind: 'failed' as const, error: new Error('boom'), terminal });

describe('the delay before the next reconcile', () => {
  it('is the resync period after success, or nothing without one', () => {
    expect(delayBeforeNextAttempt({ kind: 'done', resyncAfterMs: 600_000 }, 0, policy)).toBe(600_000);
    expect(delayBeforeNextAttempt({ kind: 'done' }, 0, policy)).toBeUndefined();
  });

  it('is what a requeue asks for', () => {
    expect(delayBeforeNextAttempt({ kind: 'requeue', afterMs: 5000 }, 3, policy)).toBe(5000);
  });

  it('is nothing after a terminal failure: only a change of the object helps', () => {
    expect(delayBeforeNextAttempt(failure(true), 0, policy)).toBeUndefined();
  });

  it('backs off exponentially after a recoverable failure, counting the failures before it', () => {
    const middle = () => 0.5;
    const delays = [0, 1, 2, 10].map((n) => delayBeforeNextAttempt(failure(false), n, policy, middle));
    expect(delays).toEqual([1000, 2000, 4000, 60_000]);
  });
});
