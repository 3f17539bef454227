import { describe, expect, it } from 'vitest';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';

const policy: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 };

describe('backoff', () => {
  it('doubles with each attempt, up to the maximum', () => {
    expect([0, 1, 2, 3, 10, 1000].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
  });

  it('spreads delays within the jitter band, never beyond the maximum', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(3200);
    expect(backoffDelay(2, policy, () => 0.999999)).toBe(4800);
    expect(backoffDelay(50, policy, () => 0.999999)).toBe(60_000);
  });

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, policy, () => 0.5)).toBe(1000);
  });
});
