// Writes that must not hold up the caller and whose loss harms nothing (Events): a bounded queue
// drained by a few senders, as client-go's event broadcaster does. A reconcile then never waits for
// an Event to be written; when the API server falls behind, new work past the bound is dropped and
// counted instead of piling up in memory.

export interface BackgroundQueueOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks waiting at most; more are dropped. */
  maxPending: number;
  /** Told of each task dropped because the queue was full. */
  onDropped?: () => void;
}

export class BackgroundQueue {
  private readonly options: BackgroundQueueOptions;
  private readonly waiting: (() => Promise<void>)[] = [];
  private running = 0;
  private idle: (() => void)[] = [];

  constructor(options: BackgroundQueueOptions) {
    this.options = options;
  }

  get pending(): number {
    return this.waiting.length + this.running;
  }

  /** Queues the task; false when it was dropped. A task's failure is its own to handle. */
  push(task: () => Promise<void>): boolean {
    if (this.waiting.length >= this.options.maxPending) {
      this.options.onDropped?.();
      return false;
    }
    this.waiting.push(task);
    this.next();
    return true;
  }

  /** Resolves true once everything queued is done, false if that takes longer than timeoutMs. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private next(): void {
    while (this.running < this.options.concurrency && this.waiting.length > 0) {
      const task = this.waiting.shift()!;
      this.running++;
      void task()
        .catch(() => {})
        .finally(() => {
          this.running--;
          this.next();
          if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }
}
