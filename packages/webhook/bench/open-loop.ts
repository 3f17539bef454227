// Admission requests at a fixed rate (open loop: a slow answer does not slow the sending down, as
// with many API servers and users at once), and the percentiles of their latencies. Shared by the
// admission benchmark and the scale envelope.
import { setTimeout as sleep } from 'node:timers/promises';

export interface OpenLoopResult {
  latencies: number[];
  errors: number;
  sent: number;
  /** Seconds from the first request sent to the last answer. */
  elapsed: number;
}

/** Sends `rate` requests a second for `seconds`; `send` resolves true for an answer as expected. */
export async function openLoop(rate: number, seconds: number, send: () => Promise<boolean>): Promise<OpenLoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / rate;
  const start = performance.now();
  const total = Math.round(seconds * rate);
  for (let i = 0; i < total; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sentAt = performance.now();
    pending.push(
      send().then(
        (ok) => void (ok ? latencies.push(performance.now() - sentAt) : errors++),
        () => void errors++,
      ),
    );
  }
  await Promise.all(pending);
  return { latencies, errors, sent: total, elapsed: (performance.now() - start) / 1000 };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** p50, p90, p99 and max, in ms rounded to the microsecond. */
export function latencySummary(latencies: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN);
  return { p50: at(50), p90: at(90), p99: at(99), max: round(sorted.at(-1) ?? NaN) };
}
