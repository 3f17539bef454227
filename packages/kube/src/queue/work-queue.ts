// The queue between informers and reconcilers, with the guarantees controllers rely on (the model is
// client-go's work queue): a key is queued at most once however often its object changes, it is never
// handed to two workers at once, and a key that changes while being processed is processed once more
// afterwards, so that no change is missed. Failed keys come back later, through a per-key exponential
// backoff capped by an overall token bucket, so a mass failure does not turn into a storm of retries.
// Keys may be grouped (by namespace): waiting keys are then handed out in turn from each group, so
// that a burst in one namespace (a GitOps sync of thousands of objects) does not hold up the others.
import { backoffDelay, type BackoffPolicy } from '@gko/runtime';
import { TokenBucket } from './rate-limiter.ts';

export interface WorkQueueOptions {
  /** Per-key backoff of addRateLimited, growing with the key's failures since its last forget(). */
  backoff?: BackoffPolicy;
  /** Overall limit on addRateLimited, whatever the keys: tokens per second, and burst. */
  rate?: { perSecond: number; burst: number };
  now?: () => number;
  random?: () => number;
  /** Called with the number of keys waiting whenever it changes (for metrics). */
  onDepth?: (depth: number) => void;
  /** Called with how long a key waited between being queued and being handed to a worker. */
  onWait?: (waitedMs: number) => void;
  /** Called each time a key is queued again through addRateLimited. */
  onRetry?: () => void;
  /** The group of a key (its namespace): groups take turns; keys of one group go oldest first. */
  groupOf?: (key: string) => string;
}

const DEFAULTS = {
  backoff: { baseDelayMs: 500, maxDelayMs: 5 * 60_000, jitter: 0.2 } satisfies BackoffPolicy,
  // As client-go's default controller rate limiter.
  rate: { perSecond: 10, burst: 100 },
};

interface Scheduled<K> {
  key: K;
  at: number;
  /** Breaks ties, so that keys due at the same time are queued in the order they were scheduled. */
  seq: number;
}

const before = <K>(a: Scheduled<K>, b: Scheduled<K>) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** Binary min-heap of delayed keys by due time: one timer then serves any number of them. */
class DueHeap<K> {
  private readonly items: Scheduled<K>[] = [];

  peek(): Scheduled<K> | undefined {
    return this.items[0];
  }

  push(item: Scheduled<K>): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): Scheduled<K> | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && before(items[right]!, items[left]!) ? right : left;
      if (!before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/** Runs a metrics hook; a failing hook must never leave the queue half-updated or lose a key. */
function safely(hook: (() => void) | undefined): void {
  try {
    hook?.();
  } catch {
    // Metrics are not worth a lost key.
  }
}

export class WorkQueue<K extends string = string> {
  private readonly options: WorkQueueOptions;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly bucket: TokenBucket;
  /** Keys waiting for a worker, with when they were queued. */
  private readonly waiting = new Map<K, number>();
  /**
   * The same keys by group, oldest first; the groups in the order of their turns (Maps and Sets
   * keep insertion order: a group served goes to the back).
   */
  private readonly lanes = new Map<string, Set<K>>();
  /** Keys handed to a worker and not done yet. */
  private readonly processing = new Set<K>();
  /** Keys queued while being processed: they go back to waiting on done(), not to a second worker. */
  private readonly queuedAgain = new Map<K, number>();
  /** When each delayed key is due; the heap may hold older, later entries for a key, skipped when met. */
  private readonly dueAt = new Map<K, number>();
  private readonly delayed = new DueHeap<K>();
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly failures = new Map<K, number>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private readonly drainers = new Set<() => void>();
  private shuttingDown = false;
  private reportedDepth = 0;

  constructor(options: WorkQueueOptions = {}) {
    this.options = options;
    this.now = options.now ?? (() => Date.now());
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULTS.backoff;
    this.bucket = new TokenBucket({ ...(options.rate ?? DEFAULTS.rate), now: this.now });
  }

  /** Keys waiting for a worker: neither delayed nor being processed. */
  get length(): number {
    return this.waiting.size;
  }

  /**
   * Queues the key. A key already waiting is not queued twice; a key being processed is queued again
   * once done() is called for it. Does nothing after shutDown().
   */
  add(key: K): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      if (!this.queuedAgain.has(key)) this.queuedAgain.set(key, this.now());
      return;
    }
    if (this.waiting.has(key)) return;
    this.wait(key, this.now());
    this.handOut();
    this.reportDepth();
  }

  /**
   * Queues the key after a delay; when it is already scheduled, the earlier of the two times wins (a
   * delay of 0 or less queues it at once and cancels the later time).
   */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (!(delayMs > 0)) {
      this.dueAt.delete(key);
      this.add(key);
      return;
    }
    const at = this.now() + delayMs;
    const scheduled = this.dueAt.get(key);
    if (scheduled !== undefined && scheduled <= at) return;
    this.dueAt.set(key, at);
    this.delayed.push({ key, at, seq: this.sequence++ });
    this.armTimer();
  }

  /**
   * Queues the key after its own backoff (longer with each failure since the last forget()) or after
   * the overall bucket's delay, whichever is longer; counts one more failure. Returns the delay used
   * (0, doing nothing, after shutDown()). `backoff` replaces the queue's policy for this failure (a
   * failure that only time fixes, such as a missing permission, waits longer than a flaky call).
   */
  addRateLimited(key: K, backoff: BackoffPolicy = this.backoff): number {
    if (this.shuttingDown) return 0;
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    // Both limits are always consulted, so that the bucket accounts for every retry.
    const delay = Math.max(backoffDelay(failures, backoff, this.random), this.bucket.reserve());
    safely(this.options.onRetry);
    this.addAfter(key, delay);
    return delay;
  }

  /** Forgets the key's failures, after a success: its next failure starts from the base delay. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  numRequeues(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /**
   * The next key to process, waiting until there is one; undefined once shut down with nothing left.
   * The key is the caller's until it calls done(key).
   */
  get(): Promise<K | undefined> {
    if (this.waiting.size > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** Ends the processing of a key; one queued meanwhile becomes waiting again. */
  done(key: K): void {
    if (!this.processing.delete(key)) return;
    const queuedAt = this.queuedAgain.get(key);
    if (queuedAt !== undefined) {
      this.queuedAgain.delete(key);
      this.wait(key, queuedAt);
      this.handOut();
      this.reportDepth();
    }
    // Checked a little later: a worker that calls done() then get() at once, and gets a key again,
    // is still busy, and drain() must not resolve in between.
    if (this.processing.size === 0 && this.drainers.size > 0) queueMicrotask(() => this.settleDrainers());
  }

  /**
   * Stops accepting keys and drops the delayed ones; get() hands out the keys still waiting, then
   * undefined. Keys queued again during processing are still handed out after their done().
   */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.delayed.clear();
    this.dueAt.clear();
    // Getters only wait while nothing is waiting: there is nothing more for them.
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  /** Resolves once no key is being processed (after shutDown, to let workers finish), or after timeoutMs. */
  drain(timeoutMs?: number): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(timer);
        this.drainers.delete(finish);
        resolve();
      };
      this.drainers.add(finish);
      if (timeoutMs !== undefined) {
        timer = setTimeout(finish, timeoutMs);
        timer.unref();
      }
    });
  }

  /** Gives waiting keys to waiting getters, oldest first on both sides. */
  private handOut(): void {
    while (this.waiting.size > 0) {
      const resolve = this.getters.shift();
      if (!resolve) return;
      resolve(this.take());
    }
  }

  private wait(key: K, queuedAt: number): void {
    this.waiting.set(key, queuedAt);
    const group = this.options.groupOf?.(key) ?? '';
    const lane = this.lanes.get(group);
    if (lane) lane.add(key);
    else this.lanes.set(group, new Set([key]));
  }

  /** Moves the oldest waiting key of the group whose turn it is to processing. Only called when a key is waiting. */
  private take(): K {
    const [group, lane] = this.lanes.entries().next().value as [string, Set<K>];
    const key = lane.values().next().value as K;
    lane.delete(key);
    this.lanes.delete(group);
    if (lane.size > 0) this.lanes.set(group, lane);
    const queuedAt = this.waiting.get(key)!;
    this.waiting.delete(key);
    this.processing.add(key);
    this.reportDepth();
    safely(() => this.options.onWait?.(Math.max(0, this.now() - queuedAt)));
    return key;
  }

  private reportDepth(): void {
    const depth = this.waiting.size;
    if (depth === this.reportedDepth) return;
    this.reportedDepth = depth;
    safely(() => this.options.onDepth?.(depth));
  }

  private settleDrainers(): void {
    if (this.processing.size > 0) return;
    for (const finish of [...this.drainers]) finish();
  }

  /** The earliest delayed entry still current, dropping those superseded by an earlier time. */
  private nextDue(): Scheduled<K> | undefined {
    for (let next = this.delayed.peek(); next; next = this.delayed.peek()) {
      if (this.dueAt.get(next.key) === next.at) return next;
      this.delayed.pop();
    }
    return undefined;
  }

  /** Keeps the single timer set for the earliest delayed key; unref'd, it never keeps the process up. */
  private armTimer(): void {
    const next = this.nextDue();
    if (!next) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer && this.timerAt <= next.at) return;
    clearTimeout(this.timer);
    this.timerAt = next.at;
    this.timer = setTimeout(() => this.releaseDue(), Math.max(0, next.at - this.now()));
    this.timer.unref();
  }

  private releaseDue(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.now();
    for (let next = this.nextDue(); next && next.at <= now; next = this.nextDue()) {
      this.delayed.pop();
      this.dueAt.delete(next.key);
      this.add(next.key);
    }
    this.armTimer();
  }
}
