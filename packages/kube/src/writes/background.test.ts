import { describe, expect, it } from 'vitest';
import { BackgroundQueue } from './background.ts';

const later = () => {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
};

describe('the background queue of Events', () => {
  it('runs at most its concurrency at once, in order, and drops work past its bound, counting it', async () => {
    let dropped = 0;
    const queue = new BackgroundQueue({ concurrency: 2, maxPending: 2, onDropped: () => dropped++ });
    const started: number[] = [];
    const tasks = [0, 1, 2, 3, 4].map(() => later());
    const pushed = tasks.map((t, i) =>
      queue.push(() => {
        started.push(i);
        return t.done;
      }),
    );
    // Two run, two wait, the fifth finds the queue full.
    expect(pushed).toEqual([true, true, true, true, false]);
    expect(dropped).toBe(1);
    expect(started).toEqual([0, 1]);
    tasks[0]!.finish();
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([0, 1, 2]);
    expect(await queue.drain(20)).toBe(false);
    for (const t of tasks) t.finish();
    expect(await queue.drain(1000)).toBe(true);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(queue.pending).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const queue = new BackgroundQueue({ concurrency: 1, maxPending: 10 });
    const ran: string[] = [];
    queue.push(() => Promise.reject(new Error('API server down')));
    queue.push(() => {
      ran.push('second');
      return Promise.resolve();
    });
    expect(await queue.drain(1000)).toBe(true);
    expect(ran).toEqual(['second']);
  });
});
