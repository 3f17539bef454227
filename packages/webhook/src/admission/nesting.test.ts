import { describe, expect, it } from 'vitest';
import { tooDeeplyNested } from './nesting.ts';

const nested = (depth: number) => JSON.parse(`${'{"n":'.repeat(depth)}0${'}'.repeat(depth)}`) as unknown;

describe('the nesting of an object', () => {
  it('is fine within the bound', () => {
    expect(tooDeeplyNested({ spec: { a: [{ b: 1 }] } }, 5)).toBeUndefined();
    expect(tooDeeplyNested('text', 0)).toBeUndefined();
  });

  it('names the path of the first value past the bound, shortened', () => {
    expect(tooDeeplyNested({ spec: { properties: [{ value: nested(3) }] } }, 4)).toBe('spec.properties[0].value');
    expect(tooDeeplyNested({ spec: { properties: [{ value: nested(50_000) }] } }, 100)).toBe(
      'spec.properties[0].value.n.n...',
    );
  });
});
