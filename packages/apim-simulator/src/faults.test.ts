import { describe, expect, it } from 'vitest';
import { FaultInjector } from './faults.ts';

describe('fault injection', () => {
  it('fails or drops the next N requests, then stops', () => {
    const faults = new FaultInjector(() => 1);
    faults.set({ failNext: 2, errorStatus: 500 });
    expect([1, 2, 3].map(() => faults.decide('/x').action)).toEqual(['error', 'error', 'none']);
    faults.set({ dropNext: 1 });
    expect([1, 2].map(() => faults.decide('/x').action)).toEqual(['drop', 'none']);
  });

  it('applies rates with the given randomness, and latency on every request', () => {
    const values = [0.1, 0.9];
    const faults = new FaultInjector(() => values.shift() ?? 1);
    faults.set({ errorRate: 0.5, latencyMs: 20 });
    expect(faults.decide('/x')).toEqual({ latencyMs: 20, action: 'error', status: 503 });
    expect(faults.decide('/x')).toEqual({ latencyMs: 20, action: 'none', status: 200 });
  });

  it('holds back the answer of a request carried out, at a rate', () => {
    const values = [0.9, 0.1];
    const faults = new FaultInjector(() => values.shift() ?? 1);
    faults.set({ errorRate: 0.5, lateRate: 0.5, lateMs: 3000 });
    expect(faults.decide('/x')).toEqual({ latencyMs: 0, action: 'late', status: 200, lateMs: 3000 });
    expect(faults.decide('/x').action).toBe('none');
  });

  it('only affects the paths asked for', () => {
    const faults = new FaultInjector();
    faults.set({ failNext: 1, pathContains: '/apis' });
    expect(faults.decide('/applications').action).toBe('none');
    expect(faults.decide('/apis').action).toBe('error');
  });
});
