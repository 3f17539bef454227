import { describe, expect, it } from 'vitest';
import { compact, deterministicUuid, isValidHrid, keyHrid, objectHrid } from './hrid.ts';

describe('HRIDs', () => {
  it('of objects are namespace-name, with dots made dashes', () => {
    expect(objectHrid({ namespace: 'team-a', name: 'orders' })).toBe('team-a-orders');
    expect(objectHrid({ namespace: 'team-a', name: 'orders.v2' })).toBe('team-a-orders-v2');
    expect(objectHrid({ namespace: 'team-a', name: 'orders' }, 'legacy-hrid')).toBe('legacy-hrid');
  });

  it('of map keys replace spaces and dots', () => {
    expect(keyHrid('Key Less')).toBe('Key-Less');
    expect(keyHrid('gold.v2')).toBe('gold-v2');
    expect(keyHrid('free')).toBe('free');
  });

  it('are checked against what APIM accepts', () => {
    expect(isValidHrid('team-a-orders')).toBe(true);
    expect(isValidHrid('-leading')).toBe(false);
    expect(isValidHrid('a/b')).toBe(false);
    expect(isValidHrid('x'.repeat(257))).toBe(false);
  });
});

describe('deterministic UUIDs', () => {
  it('are stable, distinct per input, and shaped like version 5 UUIDs', () => {
    const id = deterministicUuid('team-a', 'orders');
    expect(id).toBe(deterministicUuid('team-a', 'orders'));
    expect(id).not.toBe(deterministicUuid('team-a', 'order'));
    expect(deterministicUuid('a', 'bc')).not.toBe(deterministicUuid('ab', 'c'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('compact', () => {
  it('drops undefined fields only', () => {
    expect(compact({ a: 1, b: undefined, c: null, d: false })).toEqual({ a: 1, c: null, d: false });
  });
});
