// Faults a test can inject: latency, errors, dropped connections and answers held back (the call is
// carried out, its answer comes too late for the caller), at a rate or for the next N requests,
// optionally only for paths containing a given text.

export interface Faults {
  latencyMs?: number;
  /** Probability (0 to 1) that a request is answered with errorStatus. */
  errorRate?: number;
  /** The next this many requests are answered with errorStatus. */
  failNext?: number;
  errorStatus?: number;
  /** Probability (0 to 1) that the connection is closed without an answer. */
  dropRate?: number;
  /** The next this many connections are closed without an answer. */
  dropNext?: number;
  /** Probability (0 to 1) that the request is carried out but answered only after lateMs. */
  lateRate?: number;
  /** How long a late answer is held back (default 10 s: longer than any caller waits). */
  lateMs?: number;
  /** Only requests whose path contains this text are affected. */
  pathContains?: string;
}

export type FaultDecision =
  | { latencyMs: number; action: 'none' | 'drop' | 'error'; status: number }
  | { latencyMs: number; action: 'late'; status: number; lateMs: number };

export class FaultInjector {
  private faults: Faults = {};
  private readonly random: () => number;

  constructor(random: () => number = Math.random) {
    this.random = random;
  }

  set(faults: Faults): void {
    this.faults = { ...faults };
  }

  clear(): void {
    this.faults = {};
  }

  current(): Faults {
    return { ...this.faults };
  }

  decide(path: string): FaultDecision {
    const f = this.faults;
    const none: FaultDecision = { latencyMs: 0, action: 'none', status: 200 };
    if (f.pathContains && !path.includes(f.pathContains)) return none;
    const latencyMs = f.latencyMs ?? 0;
    const status = f.errorStatus ?? 503;
    if ((f.dropNext ?? 0) > 0) {
      f.dropNext = f.dropNext! - 1;
      return { latencyMs, action: 'drop', status };
    }
    if ((f.failNext ?? 0) > 0) {
      f.failNext = f.failNext! - 1;
      return { latencyMs, action: 'error', status };
    }
    if (f.dropRate && this.random() < f.dropRate) return { latencyMs, action: 'drop', status };
    if (f.errorRate && this.random() < f.errorRate) return { latencyMs, action: 'error', status };
    if (f.lateRate && this.random() < f.lateRate)
      return { latencyMs, action: 'late', status: 200, lateMs: f.lateMs ?? 10_000 };
    return { ...none, latencyMs };
  }
}
