import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from './rate-limiter.ts';
import { WorkQueue } from './work-queue.ts';

/** Lets pending promise callbacks run (workers awaiting get(), drain() settling). */
const flush = async (rounds = 5) => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};

/** Keys that are waiting, taken one by one (each is then done at once). */
async function takeAll(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.length > 0) {
    const key = (await queue.get())!;
    keys.push(key);
    queue.done(key);
  }
  return keys;
}

describe('WorkQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('groups taking turns', () => {
    it('hands out the keys of each namespace in turn, oldest first within each', async () => {
      const queue = new WorkQueue({ groupOf: (key) => key.split('/')[0]! });
      for (let i = 0; i < 4; i++) queue.add(`burst/api-${i}`);
      queue.add('quiet/api');
      queue.add('other/api-0');
      queue.add('other/api-1');
      expect(await takeAll(queue)).toEqual([
        'burst/api-0',
        'quiet/api',
        'other/api-0',
        'burst/api-1',
        'other/api-1',
        'burst/api-2',
        'burst/api-3',
      ]);
    });

    it('puts a key queued again while processed at the back of its group, and still hands it once', async () => {
      const queue = new WorkQueue({ groupOf: (key) => key.split('/')[0]! });
      queue.add('a/one');
      queue.add('a/two');
      const first = (await queue.get())!;
      queue.add(first);
      queue.add('b/one');
      queue.done(first);
      expect(await takeAll(queue)).toEqual(['a/two', 'b/one', 'a/one']);
    });
  });

  describe('adding and getting', () => {
    it('keeps a key added many times as one entry', async () => {
      const depths: number[] = [];
      const queue = new WorkQueue({ onDepth: (depth) => depths.push(depth) });
      for (let i = 0; i < 1000; i++) queue.add('a');
      expect(queue.length).toBe(1);
      expect(await queue.get()).toBe('a');
      expect(queue.length).toBe(0);
      expect(depths).toEqual([1, 0]);
    });

    it('hands out waiting keys first in, first out', async () => {
      const queue = new WorkQueue();
      for (const key of ['c', 'a', 'b', 'c', 'a']) queue.add(key);
      expect(await takeAll(queue)).toEqual(['c', 'a', 'b']);
    });

    it('processes a key added during its processing once more, after done, and not before', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      const first = await queue.get();
      expect(first).toBe('a');

      queue.add('a');
      queue.add('a');
      queue.add('a');
      // Not waiting: a second worker must not get it while the first one is still on it.
      expect(queue.length).toBe(0);
      let second: string | undefined;
      void queue.get().then((key) => (second = key));
      await flush();
      expect(second).toBeUndefined();

      queue.done('a');
      await flush();
      expect(second).toBe('a');
      queue.done('a');
      expect(queue.length).toBe(0);
    });

    it('forgets a key that is done without having been queued again', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      queue.done((await queue.get())!);
      expect(queue.length).toBe(0);
      // A stray done() for a key nobody holds changes nothing.
      queue.done('a');
      queue.add('a');
      expect(queue.length).toBe(1);
    });

    it('never gives one key to two of several concurrent workers, and misses no change', async () => {
      const queue = new WorkQueue();
      const inFlight = new Set<string>();
      const overlaps: string[] = [];
      const lastAdded = new Map<string, number>();
      const lastStarted = new Map<string, number>();
      let clock = 0;

      const worker = async () => {
        for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
          if (inFlight.has(key)) overlaps.push(key);
          inFlight.add(key);
          lastStarted.set(key, clock++);
          await flush(1 + (key.charCodeAt(1) % 4));
          inFlight.delete(key);
          queue.done(key);
        }
      };
      const workers = Array.from({ length: 5 }, () => worker());

      for (let round = 0; round < 200; round++) {
        const key = `k${round % 7}`;
        lastAdded.set(key, clock++);
        queue.add(key);
        await flush(round % 3);
      }
      await flush(50);
      queue.shutDown();
      await Promise.all(workers);

      expect(overlaps).toEqual([]);
      // Every key was processed after its last add.
      for (const [key, added] of lastAdded) expect(lastStarted.get(key)).toBeGreaterThan(added);
    });

    it('reports how long each key waited', async () => {
      const waits: number[] = [];
      const queue = new WorkQueue({ onWait: (waited) => waits.push(waited) });
      queue.add('a');
      vi.advanceTimersByTime(250);
      queue.add('b');
      vi.advanceTimersByTime(50);
      await takeAll(queue);
      expect(waits).toEqual([300, 50]);
    });

    it('loses no key when a metrics hook throws', async () => {
      const boom = () => {
        throw new Error('metrics down');
      };
      const queue = new WorkQueue({ onDepth: boom, onWait: boom, onRetry: boom });
      queue.add('a');
      expect(await queue.get()).toBe('a');
      queue.done('a');
      queue.addRateLimited('b');
      await vi.runAllTimersAsync();
      expect(queue.length).toBe(1);
    });
  });

  describe('delays', () => {
    it('queues delayed keys when they are due, earliest first', async () => {
      const queue = new WorkQueue();
      queue.addAfter('late', 300);
      queue.addAfter('early', 100);
      queue.addAfter('middle', 200);
      expect(queue.length).toBe(0);

      vi.advanceTimersByTime(99);
      expect(queue.length).toBe(0);
      vi.advanceTimersByTime(1);
      expect(await takeAll(queue)).toEqual(['early']);
      vi.advanceTimersByTime(200);
      expect(await takeAll(queue)).toEqual(['middle', 'late']);
    });

    it('keeps the earlier time when a key is scheduled twice, in either order', async () => {
      const queue = new WorkQueue();
      queue.addAfter('a', 500);
      queue.addAfter('a', 100);
      queue.addAfter('b', 100);
      queue.addAfter('b', 500);

      vi.advanceTimersByTime(100);
      expect(await takeAll(queue)).toEqual(['a', 'b']);
      // The later times were dropped, not kept as a second entry.
      vi.advanceTimersByTime(1000);
      expect(queue.length).toBe(0);
    });

    it('queues at once for a delay of zero or less, cancelling a later time', async () => {
      const queue = new WorkQueue();
      queue.addAfter('a', 500);
      queue.addAfter('a', 0);
      queue.addAfter('b', -5);
      expect(await takeAll(queue)).toEqual(['a', 'b']);
      vi.advanceTimersByTime(1000);
      expect(queue.length).toBe(0);
    });

    it('does not queue a due key twice when it is already waiting', () => {
      const queue = new WorkQueue();
      queue.add('a');
      queue.addAfter('a', 100);
      vi.advanceTimersByTime(100);
      expect(queue.length).toBe(1);
    });

    it('serves thousands of delayed keys with a single timer, in due order', async () => {
      const queue = new WorkQueue();
      const delays = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) + 1);
      delays.forEach((delay, i) => queue.addAfter(`k${i}`, delay));
      expect(vi.getTimerCount()).toBe(1);

      const order: string[] = [];
      for (let t = 0; t < 5000; t += 250) {
        vi.advanceTimersByTime(250);
        order.push(...(await takeAll(queue)));
        expect(vi.getTimerCount()).toBeLessThanOrEqual(1);
      }
      const expected = delays.map((delay, i) => ({ key: `k${i}`, delay })).sort((a, b) => a.delay - b.delay);
      expect(order).toEqual(expected.map((e) => e.key));
      expect(vi.getTimerCount()).toBe(0);
    });

    it('sets its timer unref’d, so that it never keeps the process alive', () => {
      const setTimer = vi.spyOn(globalThis, 'setTimeout');
      const queue = new WorkQueue();
      queue.addAfter('a', 60_000);
      const timer = setTimer.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      queue.shutDown();
    });
  });

  describe('rate limiting', () => {
    it('backs a failing key off exponentially, up to the maximum, until forgotten', () => {
      const retries = vi.fn();
      const queue = new WorkQueue({
        backoff: { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 },
        onRetry: retries,
      });
      const delays = Array.from({ length: 6 }, () => queue.addRateLimited('a'));
      expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
      expect(queue.numRequeues('a')).toBe(6);
      expect(retries).toHaveBeenCalledTimes(6);
      // Other keys have their own count.
      expect(queue.addRateLimited('b')).toBe(100);

      queue.forget('a');
      expect(queue.numRequeues('a')).toBe(0);
      expect(queue.addRateLimited('a')).toBe(100);
    });

    it('jitters the backoff within the policy’s band', () => {
      const backoff = { baseDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 };
      expect(new WorkQueue({ backoff, random: () => 0 }).addRateLimited('a')).toBe(800);
      expect(new WorkQueue({ backoff, random: () => 0.999999 }).addRateLimited('a')).toBe(1200);
    });

    it('defaults to a 500 ms backoff', () => {
      expect(new WorkQueue({ random: () => 0.5 }).addRateLimited('a')).toBe(500);
    });

    it('queues a rate-limited key after the delay it returns', async () => {
      const queue = new WorkQueue({ backoff: { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 } });
      queue.addRateLimited('a');
      vi.advanceTimersByTime(99);
      expect(queue.length).toBe(0);
      vi.advanceTimersByTime(1);
      expect(await takeAll(queue)).toEqual(['a']);
    });

    it('spreads a burst of 200 failing keys with the overall bucket (10/s, burst 100)', async () => {
      const queue = new WorkQueue({ backoff: { baseDelayMs: 5, maxDelayMs: 1000, jitter: 0 } });
      const delays = Array.from({ length: 200 }, (_, i) => queue.addRateLimited(`k${i}`));

      // The burst goes through on the keys' own backoff; then one key every 100 ms.
      expect(delays.slice(0, 100)).toEqual(Array(100).fill(5));
      expect(delays.slice(100, 103)).toEqual([100, 200, 300]);
      expect(delays[199]).toBe(10_000);

      vi.advanceTimersByTime(1000);
      expect((await takeAll(queue)).length).toBe(110);
      vi.advanceTimersByTime(9000);
      expect((await takeAll(queue)).length).toBe(90);
    });

    it('lets the bucket refill while retries are quiet', () => {
      const queue = new WorkQueue({
        backoff: { baseDelayMs: 1, maxDelayMs: 1, jitter: 0 },
        rate: { perSecond: 2, burst: 2 },
      });
      expect([queue.addRateLimited('a'), queue.addRateLimited('b'), queue.addRateLimited('c')]).toEqual([1, 1, 500]);
      vi.advanceTimersByTime(60_000);
      expect([queue.addRateLimited('d'), queue.addRateLimited('e'), queue.addRateLimited('f')]).toEqual([1, 1, 500]);
    });
  });

  describe('shutting down', () => {
    it('ends waiting getters, hands out what is left, then nothing', async () => {
      const queue = new WorkQueue();
      const idle = queue.get();
      queue.shutDown();
      expect(await idle).toBeUndefined();

      const other = new WorkQueue();
      other.add('a');
      other.add('b');
      other.shutDown();
      other.add('c');
      expect(other.length).toBe(2);
      expect(await other.get()).toBe('a');
      expect(await other.get()).toBe('b');
      expect(await other.get()).toBeUndefined();
      expect(await other.get()).toBeUndefined();
    });

    it('drops delayed keys and their timer, and takes no new ones', async () => {
      const queue = new WorkQueue();
      queue.addAfter('a', 100);
      queue.shutDown();
      expect(vi.getTimerCount()).toBe(0);
      queue.addAfter('b', 100);
      expect(queue.addRateLimited('c')).toBe(0);
      vi.advanceTimersByTime(10_000);
      expect(queue.length).toBe(0);
      expect(await queue.get()).toBeUndefined();
    });

    it('still processes once more a key queued again during its processing before the shutdown', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      const key = (await queue.get())!;
      queue.add('a');
      queue.shutDown();
      queue.done(key);
      expect(await queue.get()).toBe('a');
      queue.done('a');
      expect(await queue.get()).toBeUndefined();
    });

    it('drains: resolves only once every key handed out is done', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      queue.add('b');
      const a = (await queue.get())!;
      const b = (await queue.get())!;
      queue.shutDown();

      let drained = false;
      void queue.drain().then(() => (drained = true));
      queue.done(a);
      await flush();
      expect(drained).toBe(false);
      queue.done(b);
      await flush();
      expect(drained).toBe(true);
    });

    it('drains at once when nothing is being processed', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      queue.shutDown();
      await expect(queue.drain()).resolves.toBeUndefined();
    });

    it('does not drain while a worker picks up again at once a key queued during its processing', async () => {
      const queue = new WorkQueue();
      queue.add('a');
      const key = (await queue.get())!;
      queue.add('a');
      queue.shutDown();

      let drained = false;
      void queue.drain().then(() => (drained = true));
      queue.done(key);
      const again = queue.get();
      await flush();
      expect(drained).toBe(false);
      queue.done((await again)!);
      await flush();
      expect(drained).toBe(true);
    });

    it('gives up draining after the timeout', async () => {
      const queue = new WorkQueue();
      queue.add('stuck');
      await queue.get();
      queue.shutDown();

      let drained = false;
      void queue.drain(1000).then(() => (drained = true));
      await vi.advanceTimersByTimeAsync(999);
      expect(drained).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(drained).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});

describe('TokenBucket', () => {
  it('allows the burst at once, then one token per 1/rate, on credit', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 4, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => bucket.reserve())).toEqual([0, 0, 0]);
    expect([1, 2, 3].map(() => bucket.reserve())).toEqual([250, 500, 750]);
    now = 750;
    // The three tokens taken on credit are paid back; the next one is a full period away.
    expect(bucket.reserve()).toBe(250);
  });

  it('refills up to the burst, not beyond', () => {
    let now = 0;
    const bucket = new TokenBucket({ perSecond: 10, burst: 2, now: () => now });
    now = 3_600_000;
    expect([1, 2, 3].map(() => bucket.reserve())).toEqual([0, 0, 100]);
  });

  it('is not drained by a clock going backwards', () => {
    let now = 10_000;
    const bucket = new TokenBucket({ perSecond: 1, burst: 1, now: () => now });
    now = 0;
    expect(bucket.reserve()).toBe(0);
  });

  it('rejects a rate or burst that could never let anything through', () => {
    expect(() => new TokenBucket({ perSecond: 0, burst: 10 })).toThrow(/perSecond > 0/);
    expect(() => new TokenBucket({ perSecond: 1, burst: 0 })).toThrow(/burst >= 1/);
  });
});
