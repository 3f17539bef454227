import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@gko/runtime';
import { DriftScheduler, type DriftTarget } from './drift-scheduler.ts';

const PERIOD = 1000;

/** A target whose key lists are served one round after the other (the last one repeats). */
function target(name: string, rounds: string[][]) {
  const verified: { key: string; at: number }[] = [];
  let round = 0;
  const keys = vi.fn(() => rounds[Math.min(round++, rounds.length - 1)] ?? []);
  const drift: DriftTarget = {
    keys,
    requestVerify: (key) => verified.push({ key: `${name}:${key}`, at: Date.now() }),
  };
  return { drift, verified, keys };
}

describe('DriftScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    // The spies first: one on setTimeout holds the fake one, which useRealTimers then replaces.
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('spreads the verifications of a round evenly over the period, starting one period after start', () => {
    const { drift, verified } = target('t', [['a', 'b', 'c', 'd']]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(drift);
    scheduler.start();

    vi.advanceTimersByTime(PERIOD - 1);
    expect(verified).toEqual([]);
    vi.advanceTimersByTime(1 + (3 * PERIOD) / 4);
    expect(verified).toEqual([
      { key: 't:a', at: 1000 },
      { key: 't:b', at: 1250 },
      { key: 't:c', at: 1500 },
      { key: 't:d', at: 1750 },
    ]);
    scheduler.stop();
  });

  it('starts each round with a fresh list of keys', () => {
    const { drift, verified, keys } = target('t', [
      ['a', 'b', 'c', 'd'],
      ['x', 'y'],
    ]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(drift);
    scheduler.start();

    vi.advanceTimersByTime(PERIOD + (3 * PERIOD) / 4);
    expect(keys).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(PERIOD / 4);
    expect(keys).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(PERIOD - 1);
    expect(verified.slice(4)).toEqual([
      { key: 't:x', at: 2000 },
      { key: 't:y', at: 2500 },
    ]);
    vi.advanceTimersByTime(1);
    expect(keys).toHaveBeenCalledTimes(3);
    expect(verified.at(-1)).toEqual({ key: 't:x', at: 3000 });
    scheduler.stop();
  });

  it('takes the keys of every target into one round, in the order the targets were added', () => {
    const first = target('first', [['a', 'b']]);
    const second = target('second', [['c', 'd']]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(first.drift);
    scheduler.add(second.drift);
    scheduler.start();

    vi.advanceTimersByTime(PERIOD + (3 * PERIOD) / 4);
    const all = [...first.verified, ...second.verified].sort((x, y) => x.at - y.at);
    expect(all).toEqual([
      { key: 'first:a', at: 1000 },
      { key: 'first:b', at: 1250 },
      { key: 'second:c', at: 1500 },
      { key: 'second:d', at: 1750 },
    ]);
    scheduler.stop();
  });

  it('looks again one period later when there is nothing to verify', () => {
    const { drift, verified, keys } = target('t', [[], ['late']]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(drift);
    scheduler.start();

    vi.advanceTimersByTime(PERIOD);
    expect(keys).toHaveBeenCalledTimes(1);
    expect(verified).toEqual([]);
    vi.advanceTimersByTime(PERIOD - 1);
    expect(keys).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(verified).toEqual([{ key: 't:late', at: 2000 }]);
    scheduler.stop();
  });

  it('never schedules anything with a period of 0', () => {
    const { drift, verified, keys } = target('t', [['a']]);
    const scheduler = new DriftScheduler(0, silentLogger);
    scheduler.add(drift);
    scheduler.start();

    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(keys).not.toHaveBeenCalled();
    expect(verified).toEqual([]);
  });

  it('schedules one timer however often it is started', () => {
    const { drift, verified } = target('t', [['a', 'b']]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(drift);
    scheduler.start();
    scheduler.start();

    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(PERIOD);
    expect(verified).toEqual([{ key: 't:a', at: 1000 }]);
    scheduler.stop();
  });

  it('verifies nothing more once stopped, and leaves no timer behind', () => {
    const { drift, verified } = target('t', [['a', 'b', 'c', 'd']]);
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.add(drift);
    scheduler.start();

    vi.advanceTimersByTime(PERIOD + PERIOD / 4);
    expect(verified.map((v) => v.key)).toEqual(['t:a', 't:b']);
    scheduler.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10 * PERIOD);
    expect(verified.map((v) => v.key)).toEqual(['t:a', 't:b']);
  });

  it('sets its timer unref’d, so that it never keeps the process alive', () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const scheduler = new DriftScheduler(PERIOD, silentLogger);
    scheduler.start();
    const timer = setTimer.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    scheduler.stop();
  });
});
