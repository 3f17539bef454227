import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Watchdog } from './watchdog.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a watchdog', () => {
  it('barks once after a silence, and each sign of life starts the silence again', () => {
    const onSilence = vi.fn();
    const watchdog = new Watchdog(1000, onSilence);
    vi.advanceTimersByTime(900);
    watchdog.feed();
    vi.advanceTimersByTime(900);
    expect(onSilence).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onSilence).toHaveBeenCalledTimes(1);
    watchdog.feed();
    vi.advanceTimersByTime(5000);
    expect(onSilence).toHaveBeenCalledTimes(1);
  });

  it('stays quiet once stopped', () => {
    const onSilence = vi.fn();
    const watchdog = new Watchdog(1000, onSilence);
    watchdog.stop();
    watchdog.feed();
    vi.advanceTimersByTime(5000);
    expect(onSilence).not.toHaveBeenCalled();
  });
});
