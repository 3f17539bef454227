import { describe, expect, it } from 'vitest';
import { resolveInformerOptions, watchdogFor, watchTimeoutSeconds } from './informer-options.ts';
import { dropManagedFields } from './transform.ts';

describe('informer options', () => {
  it('waits for silence a little longer than the timeout of each watch, unless told otherwise', () => {
    expect(watchdogFor(resolveInformerOptions({}).watchdogMs, 420)).toBe(435_000);
    expect(watchdogFor(resolveInformerOptions({ watchdogMs: 1000 }).watchdogMs, 420)).toBe(1000);
  });

  it('keeps each watch open 5 to 10 minutes by default, spread at random, or as long as given', () => {
    expect(watchTimeoutSeconds(0, () => 0)).toBe(300);
    expect(watchTimeoutSeconds(0, () => 0.999)).toBe(599);
    expect(watchTimeoutSeconds(30, () => 0.5)).toBe(30);
  });

  it('resyncs every ten minutes, keeps 0 as never, and drops managedFields by default', () => {
    expect(resolveInformerOptions({}).resyncMs).toBe(600_000);
    expect(resolveInformerOptions({ resyncMs: 0 }).resyncMs).toBe(0);
    expect(resolveInformerOptions({}).transform).toBe(dropManagedFields);
  });
});
