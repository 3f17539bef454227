import { describe, expect, it } from 'vitest';
import { jsonEqual, stableHash, stableStringify } from './stable-json.ts';

describe('stable JSON', () => {
  it('orders keys at every depth and drops undefined properties', () => {
    expect(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps array order: a reordered list is a change', () => {
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ x: 1, y: [1] }, { y: [1], x: 1, z: undefined })).toBe(true);
  });

  it('hashes equal values equally and different values differently', () => {
    expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
    expect(stableHash({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
