import { createLogger } from '@gko/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.ts';
import { LeaseConflictError } from './lease-store.ts';
import { MemoryLeaseStore } from './memory-lease-store.ts';

// Short durations, on fake time. The Lease records whole seconds: 300 ms is written as 1 s, and
// that is what other candidates wait for.
const TIMING = { leaseDurationMs: 300, renewDeadlineMs: 200, retryPeriodMs: 50 };
const RETRY_WITH_JITTER = TIMING.retryPeriodMs * 1.2;

interface Candidate {
  elector: LeaderElector;
  started: number;
  stopped: number;
  logs: Record<string, unknown>[];
}

function candidate(
  store: MemoryLeaseStore,
  identity: string,
  events: string[] = [],
  options: Partial<LeaderElectionOptions> = {},
): Candidate {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({
    component: 'test',
    level: 'debug',
    write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>),
  });
  const result: Candidate = { elector: undefined as unknown as LeaderElector, started: 0, stopped: 0, logs };
  result.elector = new LeaderElector({
    store,
    identity,
    ...TIMING,
    logger,
    onStartedLeading: () => {
      result.started++;
      events.push(`${identity} started`);
    },
    onStoppedLeading: () => {
      result.stopped++;
      events.push(`${identity} stopped`);
    },
    ...options,
  });
  return result;
}

const messages = (c: Candidate) => c.logs.map((log) => log['msg']);

/** Advances fake time in small steps, until the condition holds; returns the time it took. */
async function timeUntil(condition: () => boolean, limitMs = 5000, stepMs = 5): Promise<number> {
  for (let elapsed = 0; elapsed <= limitMs; elapsed += stepMs) {
    if (condition()) return elapsed;
    await vi.advanceTimersByTimeAsync(stepMs);
  }
  throw new Error(`condition not met within ${limitMs} ms`);
}

describe('LeaderElector', () => {
  const running: LeaderElector[] = [];
  const start = (...candidates: Candidate[]) => {
    for (const c of candidates) {
      running.push(c.elector);
      c.elector.start();
    }
  };

  beforeEach(() => {
    // performance too: durations are measured on the monotonic clock.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date', 'performance'],
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    let stopped = false;
    void Promise.all(running.splice(0).map((elector) => elector.stop())).then(() => (stopped = true));
    await timeUntil(() => stopped);
    vi.useRealTimers();
  });

  describe('options', () => {
    const base = { store: new MemoryLeaseStore(), identity: 'a', onStartedLeading() {}, onStoppedLeading() {} };

    it('rejects a renew deadline that is not shorter than the lease', () => {
      expect(() => new LeaderElector({ ...base, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(
        /renewDeadlineMs \(10000\) must be shorter than leaseDurationMs \(10000\)/,
      );
    });

    it('rejects a retry period that is not shorter than the renew deadline', () => {
      expect(() => new LeaderElector({ ...base, retryPeriodMs: 10_000 })).toThrow(
        /retryPeriodMs \(10000\) must be shorter than renewDeadlineMs \(10000\)/,
      );
      expect(() => new LeaderElector({ ...base, retryPeriodMs: 0 })).toThrow(/retryPeriodMs must be positive/);
    });

    it('rejects an empty identity', () => {
      expect(() => new LeaderElector({ ...base, identity: '' })).toThrow(/non-empty identity/);
    });

    it('accepts the defaults', () => {
      expect(new LeaderElector(base).isLeader).toBe(false);
    });
  });

  it('creates an absent Lease, holds it and renews it every retry period', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    start(a);
    await vi.advanceTimersByTimeAsync(0);

    expect(a.elector.isLeader).toBe(true);
    expect(a.started).toBe(1);
    const created = store.current!;
    expect(created).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(created.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    await vi.advanceTimersByTimeAsync(500);
    expect(store.writes.length).toBe(11);
    const renewed = store.current!;
    expect(renewed.acquireTime).toBe(created.acquireTime);
    expect(Date.parse(renewed.renewTime!) - Date.parse(created.renewTime!)).toBe(500);
    expect(renewed.leaseTransitions).toBe(0);
  });

  it('keeps time on the monotonic clock: a step of the wall clock neither expires nor extends the Lease', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    const b = candidate(store, 'b');
    start(a);
    await vi.advanceTimersByTimeAsync(0);
    start(b);
    await vi.advanceTimersByTimeAsync(100);
    // The wall clock jumps an hour ahead (and the Lease's renewTime with it), then an hour back.
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(a.elector.isLeader).toBe(true);
    expect(b.elector.isLeader).toBe(false);
    vi.setSystemTime(Date.now() - 7_200_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(a.elector.isLeader).toBe(true);
    expect(b.started).toBe(0);
    expect(a.stopped).toBe(0);
  });

  it('lets exactly one of two candidates lead', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    const b = candidate(store, 'b');
    start(a, b);

    for (let t = 0; t < 3000; t += 10) {
      await vi.advanceTimersByTimeAsync(10);
      expect([a, b].filter((c) => c.elector.isLeader)).toHaveLength(1);
    }
    // Both raced to create the Lease: one won, the other got a conflict and kept waiting.
    expect(a.started + b.started).toBe(1);
    expect(store.current?.holderIdentity).toBe(a.elector.isLeader ? 'a' : 'b');
  });

  it('releases the Lease on stop, and the other candidate takes over within about one retry period', async () => {
    const store = new MemoryLeaseStore();
    const events: string[] = [];
    const a = candidate(store, 'a', events);
    start(a);
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(store, 'b', events);
    start(b);
    await vi.advanceTimersByTimeAsync(500);
    expect(b.elector.isLeader).toBe(false);

    await a.elector.stop();
    expect(a.elector.isLeader).toBe(false);
    expect(store.current).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
    expect(events).toEqual(['a started', 'a stopped']);
    expect(messages(a)).toContain('released the lease');

    const takeover = await timeUntil(() => b.elector.isLeader, 2000, 1);
    expect(takeover).toBeLessThanOrEqual(RETRY_WITH_JITTER + 1);
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
    expect(store.current).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });

    // Stopping again changes nothing.
    await a.elector.stop();
    expect(a.stopped).toBe(1);
  });

  it('leaves the Lease to expire when told its work may still run, and a successor waits for the expiry', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    start(a);
    await vi.advanceTimersByTimeAsync(0);
    const b = candidate(store, 'b');
    start(b);
    await vi.advanceTimersByTimeAsync(100);
    await a.elector.stop({ release: false });
    expect(store.current).toMatchObject({ holderIdentity: 'a' });
    expect(messages(a)).toContain('leaving the lease to expire: work of this leader may still be running');
    // The Lease says 1 s: b waits for it to pass unrenewed.
    const takeover = await timeUntil(() => b.elector.isLeader, 3000, 5);
    expect(takeover).toBeGreaterThanOrEqual(800);
  });

  it('steps down when it cannot renew for the renew deadline, and leads again once it can', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    start(a);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    const lastRenewal = Date.parse(store.current!.renewTime!);

    store.failWith = new Error('connection refused');
    const lost = await timeUntil(() => !a.elector.isLeader, 2000, 1);
    const heldFor = Date.now() - lastRenewal;
    expect(heldFor).toBeGreaterThanOrEqual(TIMING.renewDeadlineMs);
    expect(heldFor).toBeLessThanOrEqual(TIMING.renewDeadlineMs + TIMING.retryPeriodMs);
    expect(lost).toBeGreaterThan(0);
    expect(a.stopped).toBe(1);
    expect(messages(a)).toContain('lost leadership');

    // Still failing: no second call.
    await vi.advanceTimersByTimeAsync(1000);
    expect(a.stopped).toBe(1);
    expect(a.started).toBe(1);

    // The Lease is still its own: nobody else led meanwhile, it may take it back.
    store.failWith = undefined;
    await timeUntil(() => a.elector.isLeader, 2000);
    expect(a.started).toBe(2);
  });

  it('steps down by the renew deadline when the store does not answer at all', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    start(a);
    await vi.advanceTimersByTimeAsync(300);
    const lastRenewal = Date.parse(store.current!.renewTime!);

    store.hang = true;
    await timeUntil(() => !a.elector.isLeader, 2000, 1);
    expect(Date.now() - lastRenewal).toBeLessThanOrEqual(TIMING.renewDeadlineMs + 1);
    expect(a.stopped).toBe(1);
  });

  it('steps down at once when another holder is found in the Lease', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    start(a);
    await vi.advanceTimersByTimeAsync(100);

    store.put({ holderIdentity: 'intruder', leaseDurationSeconds: 15, leaseTransitions: 1 });
    const lost = await timeUntil(() => !a.elector.isLeader, 2000, 1);
    expect(lost).toBeLessThanOrEqual(TIMING.retryPeriodMs);
    expect(a.stopped).toBe(1);
    expect(a.logs.find((log) => log['msg'] === 'lost leadership')?.['reason']).toMatch(/held by intruder/);
  });

  it('replaces a holder that vanished without releasing only after the lease duration', async () => {
    const store = new MemoryLeaseStore({
      holderIdentity: 'ghost',
      leaseDurationSeconds: 1,
      renewTime: '2020-01-01T00:00:00.000000Z',
      leaseTransitions: 4,
    });
    // A retry period that does not divide the lease, and no jitter: the last wait must be cut short.
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const b = candidate(store, 'b', [], { retryPeriodMs: 70 });
    start(b);

    const takeover = await timeUntil(() => b.elector.isLeader, 5000, 1);
    expect(takeover).toBeGreaterThanOrEqual(1000);
    expect(takeover).toBeLessThanOrEqual(1001);
    expect(store.current).toMatchObject({ holderIdentity: 'b', leaseTransitions: 5 });
    expect(b.logs.find((log) => log['msg'] === 'became the leader')).toMatchObject({
      identity: 'b',
      previousHolder: 'ghost',
    });
  });

  it('never replaces a holder that keeps renewing, whatever times its clock writes', async () => {
    // The holder's clock is far behind: its renewTime means nothing to us, only that it changes.
    const store = new MemoryLeaseStore({ holderIdentity: 'ghost', leaseDurationSeconds: 1, renewTime: 'x' });
    const b = candidate(store, 'b');
    start(b);
    for (let t = 0; t < 5000; t += 900) {
      await vi.advanceTimersByTimeAsync(900);
      store.put({ ...store.current!, renewTime: '2000-01-01T00:00:00.000000Z' });
    }
    expect(b.elector.isLeader).toBe(false);
    expect(b.logs.find((log) => log['msg'] === 'new leader observed')).toMatchObject({ holder: 'ghost' });
  });

  it('does not lead when someone else creates the Lease first', async () => {
    const store = new MemoryLeaseStore();
    store.beforeWrite = () => {
      store.beforeWrite = undefined;
      store.put({ holderIdentity: 'faster', leaseDurationSeconds: 15 });
    };
    const b = candidate(store, 'b');
    start(b);
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.elector.isLeader).toBe(false);
    expect(b.started).toBe(0);
    expect(store.current?.holderIdentity).toBe('faster');
  });

  it('does not lead when someone else takes a released Lease first', async () => {
    const store = new MemoryLeaseStore({ holderIdentity: '', leaseDurationSeconds: 1 });
    let conflicts = 0;
    const update = store.update.bind(store);
    store.update = async (record) => {
      store.put({ holderIdentity: 'faster', leaseDurationSeconds: 15 });
      try {
        return await update(record);
      } catch (error) {
        if (error instanceof LeaseConflictError) conflicts++;
        throw error;
      }
    };
    const b = candidate(store, 'b');
    start(b);
    await vi.advanceTimersByTimeAsync(0);
    expect(conflicts).toBe(1);
    expect(b.elector.isLeader).toBe(false);
    expect(b.started).toBe(0);
  });

  it('keeps campaigning through a store that stops answering for a while', async () => {
    const store = new MemoryLeaseStore();
    store.hang = true;
    const b = candidate(store, 'b');
    start(b);
    await vi.advanceTimersByTimeAsync(1000);
    expect(b.elector.isLeader).toBe(false);
    expect(messages(b)).toContain('no answer from the lease store; retrying');

    store.hang = false;
    const took = await timeUntil(() => b.elector.isLeader, 2000, 1);
    expect(took).toBeLessThanOrEqual(TIMING.renewDeadlineMs + TIMING.retryPeriodMs);
  });

  it('stops a waiting candidate without writing, and leaves no timer behind', async () => {
    const store = new MemoryLeaseStore({ holderIdentity: 'other', leaseDurationSeconds: 15 });
    const b = candidate(store, 'b');
    b.elector.start();
    await vi.advanceTimersByTimeAsync(500);
    const writes = store.writes.length;

    await b.elector.stop();
    expect(store.writes.length).toBe(writes);
    expect(b.stopped).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    // A stopped elector does not start again.
    b.elector.start();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind when a leader stops', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    a.elector.start();
    await vi.advanceTimersByTimeAsync(120);
    await a.elector.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops within bounded time even when the store hangs, still calling onStoppedLeading once', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a');
    a.elector.start();
    await vi.advanceTimersByTimeAsync(20);
    store.hang = true;

    let stopped = false;
    void a.elector.stop().then(() => (stopped = true));
    expect(a.stopped).toBe(1);
    const took = await timeUntil(() => stopped, 2000, 1);
    expect(took).toBeLessThanOrEqual(TIMING.renewDeadlineMs + TIMING.retryPeriodMs);
    expect(a.stopped).toBe(1);
    expect(messages(a)).toContain('could not release the lease in time; a successor will wait for it to expire');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps going when a callback throws', async () => {
    const store = new MemoryLeaseStore();
    const a = candidate(store, 'a', [], {
      onStartedLeading: () => {
        throw new Error('boom');
      },
    });
    start(a);
    await vi.advanceTimersByTimeAsync(200);
    expect(a.elector.isLeader).toBe(true);
    expect(a.logs.find((log) => log['msg'] === 'onStartedLeading failed')).toBeDefined();
  });
});
