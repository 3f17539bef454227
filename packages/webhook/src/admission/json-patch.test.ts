import { describe, expect, it } from 'vitest';
import { jsonPatch } from './json-patch.ts';

function apply(value: unknown, operations: ReturnType<typeof jsonPatch>): unknown {
  let root = structuredClone(value) as Record<string, unknown>;
  for (const op of operations) {
    if (op.path === '') {
      root = op.value as Record<string, unknown>;
      continue;
    }
    const keys = op.path
      .slice(1)
      .split('/')
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    const parent = keys.reduce<Record<string, unknown>>((node, k) => node[k] as Record<string, unknown>, root);
    if (op.op === 'remove') delete parent[last];
    else parent[last] = op.value;
  }
  return root;
}

describe('JSON patches', () => {
  it('are empty between equal values', () => {
    expect(jsonPatch({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('add, replace and remove fields, escaping keys, and turn the first value into the second', () => {
    const from = { spec: { name: 'x', 'a/b': 1, gone: true, list: [1, 2] } };
    const to = { spec: { name: 'y', 'a/b': 1, list: [1, 2, 3], 'new~key': { deep: true } } };
    const patch = jsonPatch(from, to);
    expect(patch).toEqual([
      { op: 'remove', path: '/spec/gone' },
      { op: 'replace', path: '/spec/name', value: 'y' },
      { op: 'replace', path: '/spec/list', value: [1, 2, 3] },
      { op: 'add', path: '/spec/new~0key', value: { deep: true } },
    ]);
    expect(apply(from, patch)).toEqual(to);
  });

  it('treat keys named like Object members as plain keys', () => {
    const from = { spec: { constructor: 'x', toString: 1 } };
    const to = { spec: { valueOf: true } };
    const patch = jsonPatch(from, to);
    expect(patch).toEqual([
      { op: 'remove', path: '/spec/constructor' },
      { op: 'remove', path: '/spec/toString' },
      { op: 'add', path: '/spec/valueOf', value: true },
    ]);
    expect(apply(from, patch)).toEqual(to);
  });
});
