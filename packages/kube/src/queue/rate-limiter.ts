// An overall limit on how fast failed keys come back, whatever their own backoff says: when many keys
// fail at once (the API server is down, a credential expired), their retries are spread out instead
// of all hitting the server together. The bucket never blocks: it says how long to wait, and the
// caller schedules the key that much later.

export interface TokenBucketOptions {
  /** Tokens added per second. */
  perSecond: number;
  /** Most tokens the bucket holds: how many retries may go through at once after a quiet period. */
  burst: number;
  now?: () => number;
}

export class TokenBucket {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly now: () => number;
  // May go below zero: each token taken on credit is a reservation further in the future.
  private tokens: number;
  private updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.perSecond > 0) || !(options.burst >= 1))
      throw new Error(`token bucket needs perSecond > 0 and burst >= 1 (got ${options.perSecond}/${options.burst})`);
    this.perMs = options.perSecond / 1000;
    this.burst = options.burst;
    this.now = options.now ?? (() => Date.now());
    this.tokens = options.burst;
    this.updatedAt = this.now();
  }

  /** Takes one token and returns how long to wait before using it: 0 while the burst lasts. */
  reserve(): number {
    const now = this.now();
    // A clock that goes backwards (tests, NTP) must not drain the bucket.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perMs);
    this.updatedAt = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil(-this.tokens / this.perMs);
  }
}
