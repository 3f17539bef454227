import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Registry } from 'prom-client';
import { silentLogger } from '@gko/runtime';
import { keyString, type ObjectKey, type ReconcileContext, type Reconciler } from '../reconcile/contract.ts';
import type { Outcome } from '../reconcile/result.ts';
import { Controller, type ControllerOptions } from './controller.ts';
import { controllerMetrics } from './metrics.ts';

const KIND = 'ApiV4Definition';

/** Lets pending promise callbacks run (workers taking keys, reconciles starting and ending). */
const flush = async (rounds = 20) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

class FlakyError extends Error {
  override name = 'FlakyError';
}

interface Call {
  key: string;
  at: number;
  verifyRemote: boolean;
}

/**
 * A controller over a fake reconciler, recording every reconcile (when, which key, whether it was
 * asked to verify), and any moment a key was reconciled twice at once.
 */
function setUp(
  reconcile: (key: ObjectKey, call: number) => Promise<Outcome> | Outcome,
  options: Partial<ControllerOptions> = {},
) {
  const registry = new Registry();
  const calls: Call[] = [];
  const contexts: { key: string; verifyRemote: boolean }[] = [];
  const inFlight = new Set<string>();
  const overlaps: string[] = [];
  let running = 0;
  let maxRunning = 0;

  const reconciler: Reconciler = async (key, context) => {
    const k = keyString(key);
    if (inFlight.has(k)) overlaps.push(k);
    inFlight.add(k);
    running++;
    maxRunning = Math.max(maxRunning, running);
    calls.push({ key: k, at: Date.now(), verifyRemote: context.verifyRemote });
    try {
      return await reconcile(key, calls.filter((c) => c.key === k).length);
    } finally {
      running--;
      inFlight.delete(k);
    }
  };

  const controller = new Controller({
    kind: KIND,
    reconcile: reconciler,
    concurrency: 1,
    contextFor: (_kind, key, _reconcileId, verifyRemote) => {
      contexts.push({ key, verifyRemote });
      return { logger: silentLogger, verifyRemote, now: () => new Date() } as unknown as ReconcileContext;
    },
    logger: silentLogger,
    metrics: controllerMetrics(registry),
    retry: { baseDelayMs: 10, maxDelayMs: 1000, jitter: 0 },
    ...options,
  });

  /** The value of a metric for the labels given (0 when never set). */
  const metric = async (name: string, labels: Record<string, string>) => {
    const { values } = await registry.getSingleMetric(name)!.get();
    const found = values.find((v) => Object.entries(labels).every(([label, value]) => v.labels[label] === value));
    return found?.value ?? 0;
  };

  return {
    controller,
    calls,
    contexts,
    overlaps,
    metric,
    get maxRunning() {
      return maxRunning;
    },
  };
}

const done: Outcome = { kind: 'done' };

describe('Controller', () => {
  let stopLast: (() => Promise<unknown>) | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(async () => {
    await stopLast?.();
    stopLast = undefined;
    vi.useRealTimers();
  });

  /** Starts the controller and stops it after the test. */
  function started(controller: Controller): Controller {
    controller.start();
    stopLast = () => controller.stop(0);
    return controller;
  }

  it('reconciles a key queued many times during its reconcile once more afterwards, never twice at once', async () => {
    const gates = [deferred(), deferred()];
    const { controller, calls, overlaps } = setUp(
      async (_key, call) => {
        await gates[call - 1]?.promise;
        return done;
      },
      { concurrency: 4 },
    );
    started(controller);

    controller.enqueue('ns/a');
    await flush();
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 50; i++) controller.enqueue('ns/a');
    await flush();
    expect(calls).toHaveLength(1);

    gates[0]!.resolve();
    await flush();
    expect(calls).toHaveLength(2);
    gates[1]!.resolve();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(overlaps).toEqual([]);
  });

  it('runs at most as many reconciles at once as its concurrency, and all of them', async () => {
    const setup = setUp(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return done;
      },
      { concurrency: 2 },
    );
    started(setup.controller);

    const keys = ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e', 'ns/f'];
    for (const key of keys) setup.controller.enqueue(key);
    await flush();
    expect(setup.calls.map((c) => c.key)).toEqual(['ns/a', 'ns/b']);
    await vi.advanceTimersByTimeAsync(100);

    expect(setup.calls.map((c) => c.key).sort()).toEqual(keys);
    expect(setup.maxRunning).toBe(2);
    // Two at a time, 10 ms each: three rounds.
    expect(setup.calls.map((c) => c.at)).toEqual([0, 0, 10, 10, 20, 20]);
  });

  it('retries a recoverable failure with growing backoff, counting errors and retries', async () => {
    const { controller, calls, metric } = setUp((_key, call) =>
      call <= 3 ? { kind: 'failed', error: new FlakyError('APIM is down'), terminal: false } : done,
    );
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(1000);

    // Backoff of 10, 20, then 40 ms after the first, second and third failures.
    expect(calls.map((c) => c.at)).toEqual([0, 10, 30, 70]);
    expect(await metric('gko_controller_reconcile_errors_total', { kind: KIND, reason: 'FlakyError' })).toBe(3);
    expect(await metric('gko_controller_workqueue_retries_total', { kind: KIND })).toBe(3);
    expect(await metric('gko_controller_reconciles_total', { kind: KIND, result: 'error' })).toBe(3);
    expect(await metric('gko_controller_reconciles_total', { kind: KIND, result: 'success' })).toBe(1);
  });

  it('starts the backoff afresh after a success', async () => {
    const { controller, calls } = setUp((_key, call) =>
      call === 3 ? done : { kind: 'failed', error: new FlakyError('again'), terminal: call === 5 },
    );
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.at)).toEqual([0, 10, 30]);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(100);
    // 10 ms after the failure following the success, not 40.
    expect(calls.map((c) => c.at)).toEqual([0, 10, 30, 100, 110]);
  });

  it('retries a reconcile that throws as a recoverable failure', async () => {
    const { controller, calls, metric } = setUp((_key, call) => {
      if (call === 1) throw new TypeError('bug');
      return done;
    });
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(100);
    expect(calls.map((c) => c.at)).toEqual([0, 10]);
    expect(await metric('gko_controller_reconcile_errors_total', { kind: KIND, reason: 'TypeError' })).toBe(1);
  });

  it('does not retry a terminal failure, but reconciles again when the object changes', async () => {
    const { controller, calls, metric } = setUp(() => ({
      kind: 'failed',
      error: new FlakyError('refused'),
      terminal: true,
    }));
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(await metric('gko_controller_reconcile_errors_total', { kind: KIND, reason: 'FlakyError' })).toBe(1);
    expect(await metric('gko_controller_reconciles_total', { kind: KIND, result: 'terminal_error' })).toBe(1);
    expect(await metric('gko_controller_workqueue_retries_total', { kind: KIND })).toBe(0);

    controller.enqueue('ns/a');
    await flush();
    expect(calls).toHaveLength(2);
  });

  it('reconciles a requeued key again after the delay it asked for', async () => {
    const { controller, calls, metric } = setUp((_key, call) =>
      call === 1 ? { kind: 'requeue', afterMs: 500 } : done,
    );
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.at)).toEqual([0, 500]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(await metric('gko_controller_reconciles_total', { kind: KIND, result: 'requeue' })).toBe(1);
    expect(await metric('gko_controller_workqueue_retries_total', { kind: KIND })).toBe(0);
  });

  it('reconciles a key done with a resync period again after it', async () => {
    const { controller, calls } = setUp((_key, call) => (call === 1 ? { kind: 'done', resyncAfterMs: 300 } : done));
    started(controller);

    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls.map((c) => c.at)).toEqual([0, 300]);
  });

  it('asks to verify with the remote copy exactly once per requestVerify', async () => {
    const { controller, contexts, calls } = setUp(() => done);
    started(controller);

    controller.requestVerify('ns/a');
    await flush();
    controller.enqueue('ns/a');
    await flush();
    controller.enqueue('ns/b');
    await flush();

    expect(contexts).toEqual([
      { key: 'ns/a', verifyRemote: true },
      { key: 'ns/a', verifyRemote: false },
      { key: 'ns/b', verifyRemote: false },
    ]);
    expect(calls.map((c) => c.verifyRemote)).toEqual([true, false, false]);
  });

  it('verifies a key asked for during its reconcile on the next one', async () => {
    const gate = deferred();
    const { controller, contexts } = setUp(async (_key, call) => {
      if (call === 1) await gate.promise;
      return done;
    });
    started(controller);

    controller.enqueue('ns/a');
    await flush();
    controller.requestVerify('ns/a');
    gate.resolve();
    await flush();
    expect(contexts.map((c) => c.verifyRemote)).toEqual([false, true]);
  });

  it('waits on stop for the reconcile in flight, and takes no key after', async () => {
    const gate = deferred();
    let finished = false;
    const { controller, calls } = setUp(async () => {
      await gate.promise;
      finished = true;
      return done;
    });
    controller.start();

    controller.enqueue('ns/a');
    controller.enqueue('ns/b');
    await flush();
    expect(calls.map((c) => c.key)).toEqual(['ns/a']);

    let stopped = false;
    const stopping = controller.stop().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    expect(controller.isRunning).toBe(false);

    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    expect(stopped).toBe(true);

    controller.enqueue('ns/c');
    await vi.advanceTimersByTimeAsync(10_000);
    // ns/b was waiting when the controller stopped: it is left for the next leader.
    expect(calls.map((c) => c.key)).toEqual(['ns/a']);
  });

  it('reconciles nothing before it is started', async () => {
    const { controller, calls } = setUp(() => done);
    controller.enqueue('ns/a');
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual([]);
    expect(controller.depth).toBe(1);

    started(controller);
    await flush();
    expect(calls.map((c) => c.key)).toEqual(['ns/a']);
    expect(controller.depth).toBe(0);
  });
});
