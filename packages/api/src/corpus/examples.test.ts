import { describe, expect, it } from 'vitest';
import { API_VERSION } from '../group.ts';
import { kindFolder } from '../kinds/kind.ts';
import { KINDS } from '../registry.ts';
import { createValidator } from '../validation/index.ts';
import { examples } from './examples.ts';

const all = examples();
const ours = all.flatMap(({ file, objects }) =>
  objects.filter((o) => o['apiVersion'] === API_VERSION).map((object) => ({ file, object })),
);

describe('our examples', () => {
  it('cover every kind', () => {
    const kinds = new Set(ours.map(({ object }) => object['kind']));
    expect(KINDS.map((k) => k.kind).filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('live in the folder of their kind', () => {
    for (const { file, object } of ours) {
      expect(file.split('/')[0], file).toBe(kindFolder(String(object['kind'])));
    }
  });

  it('are all valid', () => {
    const validator = createValidator();
    const invalid = ours
      .map(({ file, object }) => ({ file, messages: validator.validate(object).messages }))
      .filter((r) => r.messages.length > 0);
    expect(invalid).toEqual([]);
  });

  it('use distinct names within each kind, so that they can be applied together', () => {
    const keys = ours.map(({ object }) => `${String(object['kind'])}/${(object['metadata'] as { name: string }).name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
