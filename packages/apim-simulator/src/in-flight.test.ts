// The highest number of requests in flight at once: counted by the simulator from arrival to the
// end of the answer, injected latency included, overall and per caller.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';
import { startSimulator, type Simulator } from './server.ts';
import { clientFor } from './test-support.ts';

describe('the in-flight count', () => {
  it('keeps the highest count, per caller too, counts each request out once, and restarts from those in flight', () => {
    const inFlight = new InFlight();
    const a1 = inFlight.enter('basic:a');
    const a2 = inFlight.enter('basic:a');
    const b = inFlight.enter('bearer');
    a1();
    a1();
    expect(inFlight.stats()).toEqual({
      inFlight: 2,
      maxInFlight: 3,
      callers: { 'basic:a': { inFlight: 1, maxInFlight: 2 }, bearer: { inFlight: 1, maxInFlight: 1 } },
    });
    inFlight.resetMax();
    expect([inFlight.maxInFlight(), inFlight.maxInFlight('basic:a'), inFlight.maxInFlight('nobody')]).toEqual([
      2, 1, 0,
    ]);
    a2();
    b();
    expect(inFlight.stats().inFlight).toBe(0);
  });
});

describe('the simulator', () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startSimulator();
  });
  afterEach(() => simulator.reset());
  afterAll(() => simulator.stop());

  it('sees every parallel request in flight at once while they wait, and one at a time in sequence', async () => {
    const client = clientFor(simulator.url, {}, { maxConcurrency: 8 });
    simulator.setFaults({ latencyMs: 100 });
    await Promise.all(Array.from({ length: 8 }, () => client.environment()));
    expect(simulator.maxInFlight()).toBe(8);
    expect(simulator.maxInFlight('basic:admin')).toBe(8);

    simulator.resetMaxInFlight();
    for (let i = 0; i < 3; i++) await client.environment();
    expect(simulator.maxInFlight()).toBe(1);
    await client.close();
  });

  it('serves its stats over HTTP, resets them, and leaves its own control routes out', async () => {
    const client = clientFor(simulator.url);
    simulator.setFaults({ latencyMs: 50 });
    await Promise.all([client.environment(), client.environment()]);
    const stats = async () => (await fetch(`${simulator.url}/_simulator/stats`)).json();
    expect(await stats()).toMatchObject({ inFlight: 0, maxInFlight: 2 });
    expect((await fetch(`${simulator.url}/_simulator/stats`, { method: 'DELETE' })).status).toBe(204);
    expect(await stats()).toEqual({
      inFlight: 0,
      maxInFlight: 0,
      callers: { 'basic:admin': { inFlight: 0, maxInFlight: 0 } },
    });
    await client.close();
  });
});
