import { describe, expect, it } from 'vitest';
import { leaseHeld, withoutOurs } from './release-finalizers.ts';

describe('releasing finalizers after an uninstall', () => {
  it('removes ours only', () => {
    expect(withoutOurs(['finalizers.gravitee.io/apidefinitiondeletion', 'kubernetes', 'example.com/keep-me'])).toEqual([
      'kubernetes',
      'example.com/keep-me',
    ]);
    expect(withoutOurs(undefined)).toEqual([]);
  });

  it('waits while a controller holds an unexpired lease', () => {
    const now = new Date('2026-01-01T00:00:10Z');
    const lease = (holderIdentity: string, renewTime: string) => ({
      spec: { holderIdentity, renewTime, leaseDurationSeconds: 15 },
    });
    expect(leaseHeld(lease('gko-controller-abc', '2026-01-01T00:00:00Z'), now)).toBe(true);
    expect(leaseHeld(lease('gko-controller-abc', '2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:16Z'))).toBe(
      false,
    );
    // A controller that stopped cleanly gave its lease up.
    expect(leaseHeld(lease('', '2026-01-01T00:00:09Z'), now)).toBe(false);
    expect(leaseHeld(undefined, now)).toBe(false);
  });
});
