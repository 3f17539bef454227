import { describe, expect, it } from 'vitest';
import { CORPUS } from '../corpus/index.ts';
import { createValidator } from './validator.ts';

const validator = createValidator();

describe('the validation corpus', () => {
  it('names each case once, and names each object after its case', () => {
    const names = CORPUS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of CORPUS) expect((c.object['metadata'] as { name: string }).name).toBe(c.name);
  });

  it('starts every update from a valid object', () => {
    for (const c of CORPUS.filter((c) => c.previous))
      expect(validator.validate(c.previous).messages, c.name).toEqual([]);
  });
});

describe('the validator, on the corpus', () => {
  it.each(CORPUS.filter((c) => !c.invalidAt).map((c) => [c.name, c] as const))('accepts %s', (_name, c) => {
    expect(validator.validate(c.object, c.previous).messages).toEqual([]);
  });

  it.each(CORPUS.filter((c) => c.invalidAt).map((c) => [c.name, c] as const))(
    'rejects %s at the expected field',
    (_name, c) => {
      const result = validator.validate(c.object, c.previous);
      expect(result.valid).toBe(false);
      expect([...new Set(result.errors.map((e) => e.path))]).toEqual([c.invalidAt]);
    },
  );
});
