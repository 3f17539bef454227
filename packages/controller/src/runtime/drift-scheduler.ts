// Drift repair: once per period, every synchronised object is compared with its copy outside the
// cluster (APIM, or the gateway ConfigMap), one at a time, the checks spread evenly over the period so
// that APIM sees a trickle of reads rather than a burst.
import type { Logger } from '@gko/runtime';

export interface DriftTarget {
  /** Keys of the objects to check this round. */
  keys(): string[];
  requestVerify(key: string): void;
}

export class DriftScheduler {
  private readonly periodMs: number;
  private readonly targets: DriftTarget[] = [];
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private round: { target: DriftTarget; key: string }[] = [];
  private next = 0;

  constructor(periodMs: number, logger: Logger) {
    this.periodMs = periodMs;
    this.logger = logger;
  }

  add(target: DriftTarget): void {
    this.targets.push(target);
  }

  start(): void {
    if (this.periodMs <= 0 || this.timer) return;
    this.schedule(this.periodMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.next >= this.round.length) {
      this.round = this.targets.flatMap((target) => target.keys().map((key) => ({ target, key })));
      this.next = 0;
      this.logger.debug('drift check round', { objects: this.round.length, periodMs: this.periodMs });
      if (this.round.length === 0) return this.schedule(this.periodMs);
    }
    const item = this.round[this.next++]!;
    item.target.requestVerify(item.key);
    this.schedule(this.periodMs / this.round.length);
  }
}
