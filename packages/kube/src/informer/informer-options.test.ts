import { describe, expect, it } from 'vitest';
import { resolveInformerOptions } from './informer-options.ts';
import { dropManagedFields } from './transform.ts';

describe('informer options', () => {
  it('waits for silence a little longer than the server-side watch timeout by default', () => {
    expect(resolveInformerOptions({}).watchdogMs).toBe(25_000 + 15_000);
    expect(resolveInformerOptions({ watchSeconds: 60 }).watchdogMs).toBe(75_000);
    expect(resolveInformerOptions({ watchSeconds: 60, watchdogMs: 1000 }).watchdogMs).toBe(1000);
  });

  it('resyncs every ten minutes, keeps 0 as never, and drops managedFields by default', () => {
    expect(resolveInformerOptions({}).resyncMs).toBe(600_000);
    expect(resolveInformerOptions({ resyncMs: 0 }).resyncMs).toBe(0);
    expect(resolveInformerOptions({}).transform).toBe(dropManagedFields);
  });
});
