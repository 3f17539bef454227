import { describe, expect, it } from 'vitest';
import { differingFields } from './compare.ts';

describe('the fields that differ between what is declared and what APIM stores', () => {
  it('are none when the stored object holds every declared value', () => {
    expect(
      differingFields(
        { name: 'orders', version: '1.0', port: 8080, on: true },
        { name: 'orders', version: '1.0', port: 8080, on: true },
      ),
    ).toEqual([]);
  });

  it('ignore the fields APIM adds, at any depth', () => {
    const declared = { name: 'orders', proxy: { path: '/orders' } };
    const stored = { id: 'x-1', createdAt: 1, name: 'orders', proxy: { path: '/orders', strip: true } };
    expect(differingFields(declared, stored)).toEqual([]);
  });

  it('report a changed scalar by its field name, with no type coercion', () => {
    expect(differingFields({ name: 'orders', version: '2.0' }, { name: 'orders', version: '1.0' })).toEqual([
      'version',
    ]);
    expect(differingFields({ port: 8080 }, { port: '8080' })).toEqual(['port']);
    expect(differingFields({ on: false }, { on: 0 })).toEqual(['on']);
  });

  it('report a declared field that APIM does not hold', () => {
    expect(differingFields({ description: 'd' }, {})).toEqual(['description']);
    expect(differingFields({ proxy: { path: '/p' } }, {})).toEqual(['proxy']);
  });

  it('ignore declared fields that are null or undefined', () => {
    expect(differingFields({ description: null, labels: undefined }, { description: 'from APIM' })).toEqual([]);
  });

  it('report a nested difference by the top-level field name', () => {
    const declared = { proxy: { groups: [{ endpoints: [{ target: 'http://a' }] }] }, name: 'n' };
    const stored = { proxy: { groups: [{ endpoints: [{ target: 'http://b' }] }] }, name: 'n' };
    expect(differingFields(declared, stored)).toEqual(['proxy']);
  });

  it('compare arrays by length, then element by element in order', () => {
    expect(differingFields({ tags: ['a', 'b'] }, { tags: ['a', 'b'] })).toEqual([]);
    expect(differingFields({ tags: ['a', 'b'] }, { tags: ['a', 'b', 'c'] })).toEqual(['tags']);
    expect(differingFields({ tags: ['a', 'b'] }, { tags: ['a'] })).toEqual(['tags']);
    expect(differingFields({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toEqual(['tags']);
    expect(differingFields({ tags: ['a'] }, { tags: 'a' })).toEqual(['tags']);
  });

  it('compare array elements by containment', () => {
    const declared = { plans: [{ name: 'free' }] };
    expect(differingFields(declared, { plans: [{ name: 'free', id: 'p-1' }] })).toEqual([]);
    expect(differingFields(declared, { plans: [{ name: 'gold', id: 'p-1' }] })).toEqual(['plans']);
  });

  it('take an empty declared array as matching an absent, null or empty stored one, and nothing else', () => {
    expect(differingFields({ tags: [] }, {})).toEqual([]);
    expect(differingFields({ tags: [] }, { tags: null })).toEqual([]);
    expect(differingFields({ tags: [] }, { tags: [] })).toEqual([]);
    expect(differingFields({ tags: [] }, { tags: ['left'] })).toEqual(['tags']);
  });

  it('take an empty declared object as matching whatever is stored', () => {
    expect(differingFields({ properties: {} }, {})).toEqual([]);
    expect(differingFields({ properties: {} }, { properties: { a: 1 } })).toEqual([]);
  });

  it('report a non-empty declared object that APIM stores as something else than an object', () => {
    expect(differingFields({ proxy: { path: '/p' } }, { proxy: null })).toEqual(['proxy']);
    expect(differingFields({ proxy: { path: '/p' } }, { proxy: '/p' })).toEqual(['proxy']);
    expect(differingFields({ proxy: { 0: 'p' } }, { proxy: ['p'] })).toEqual(['proxy']);
  });

  it('are listed sorted', () => {
    const declared = { zeta: 1, alpha: 1, mid: 1, same: 1 };
    expect(differingFields(declared, { same: 1 })).toEqual(['alpha', 'mid', 'zeta']);
  });

  it('never include a stored field that was not declared', () => {
    expect(differingFields({ name: 'n' }, { name: 'n', extra: 'x', other: [1] })).toEqual([]);
  });
});
