import { describe, expect, it } from 'vitest';
import { retryDelay, type RetryContext } from './retry.ts';

const policy = { baseDelayMs: 100, maxDelayMs: 2000, jitter: 0 };
const context = (over: Partial<RetryContext>): RetryContext => ({
  method: 'PUT',
  outcome: { status: 503 },
  attempt: 0,
  maxAttempts: 3,
  policy,
  ...over,
});

describe('retry decisions', () => {
  it('retry idempotent calls on 5xx, 429, network errors and timeouts, with growing delays', () => {
    expect(retryDelay(context({ outcome: { status: 500 } }))).toBe(100);
    expect(retryDelay(context({ outcome: { status: 429 }, attempt: 1 }))).toBe(200);
    expect(retryDelay(context({ outcome: { error: 'network' } }))).toBe(100);
    expect(retryDelay(context({ method: 'get', outcome: { error: 'timeout' } }))).toBe(100);
  });

  it('never retry 400, 401, 403 or 404', () => {
    for (const status of [400, 401, 403, 404, 409])
      expect(retryDelay(context({ outcome: { status } })), String(status)).toBeUndefined();
  });

  it('never retry a call that is not idempotent', () => {
    expect(retryDelay(context({ method: 'POST', outcome: { error: 'network' } }))).toBeUndefined();
    expect(retryDelay(context({ method: 'PATCH', outcome: { status: 503 } }))).toBeUndefined();
  });

  it('stop after the last attempt', () => {
    expect(retryDelay(context({ attempt: 2 }))).toBeUndefined();
    expect(retryDelay(context({ maxAttempts: 1 }))).toBeUndefined();
  });

  it('honour Retry-After in seconds or as a date, capped by the policy', () => {
    expect(retryDelay(context({ outcome: { status: 429, retryAfter: '1' } }))).toBe(1000);
    expect(retryDelay(context({ outcome: { status: 503, retryAfter: '120' } }))).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(
      retryDelay(context({ outcome: { status: 503, retryAfter: 'Thu, 01 Jan 2026 00:00:01 GMT' }, now: () => now })),
    ).toBe(1000);
    expect(retryDelay(context({ outcome: { status: 503, retryAfter: 'garbage' } }))).toBe(100);
  });
});
