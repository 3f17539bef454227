import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { IndexedStore } from './indexed-store.ts';

interface Thing extends KubernetesObject {
  refs?: string[];
}

const thing = (namespace: string, name: string, refs: string[] = []): Thing => ({
  metadata: { namespace, name },
  refs,
});
const names = (things: Thing[]) => things.map((t) => t.metadata?.name).sort();

function storeWithRefIndex() {
  let calls = 0;
  const store = new IndexedStore<Thing>();
  store.addIndex('ref', (t) => {
    calls++;
    return t.refs ?? [];
  });
  return { store, calls: () => calls };
}

describe('an indexed store', () => {
  it('lists one namespace from its index', () => {
    const store = new IndexedStore<Thing>();
    store.set(thing('a', 'one'));
    store.set(thing('b', 'two'));
    store.set(thing('a', 'three'));
    expect(names(store.list('a'))).toEqual(['one', 'three']);
    expect(names(store.list())).toEqual(['one', 'three', 'two']);
    store.delete(thing('a', 'one'));
    expect(names(store.list('a'))).toEqual(['three']);
    expect(store.list('nowhere')).toEqual([]);
  });

  it('finds objects by index value without calling the index function again', () => {
    const { store, calls } = storeWithRefIndex();
    store.set(thing('a', 'one', ['x', 'y']));
    store.set(thing('a', 'two', ['y']));
    const indexed = calls();
    expect(names(store.byIndex('ref', 'y'))).toEqual(['one', 'two']);
    expect(names(store.byIndex('ref', 'x'))).toEqual(['one']);
    expect(store.byIndex('ref', 'z')).toEqual([]);
    expect(calls()).toBe(indexed);
  });

  it('moves an object between values when it changes, and forgets it when deleted', () => {
    const { store } = storeWithRefIndex();
    store.set(thing('a', 'one', ['x', 'x', 'y']));
    expect(store.byIndex('ref', 'x')).toHaveLength(1);
    const previous = store.set(thing('a', 'one', ['y', 'z']));
    expect(previous?.refs).toEqual(['x', 'x', 'y']);
    expect(store.byIndex('ref', 'x')).toEqual([]);
    expect(names(store.byIndex('ref', 'z'))).toEqual(['one']);
    expect(store.delete(thing('a', 'one'))?.refs).toEqual(['y', 'z']);
    expect(store.byIndex('ref', 'y')).toEqual([]);
    expect(store.delete(thing('a', 'one'))).toBeUndefined();
  });

  it('indexes what it holds when an index is added late, and rebuilds indexes on replace', () => {
    const store = new IndexedStore<Thing>();
    store.set(thing('a', 'one', ['x']));
    store.addIndex('ref', (t) => t.refs ?? []);
    expect(names(store.byIndex('ref', 'x'))).toEqual(['one']);

    store.replace([thing('b', 'two', ['x']), thing('b', 'three', ['w'])]);
    expect(names(store.byIndex('ref', 'x'))).toEqual(['two']);
    expect(store.get('a', 'one')).toBeUndefined();
    expect(store.list('a')).toEqual([]);
    expect(store.size).toBe(2);
  });

  it('keeps an object whose index function throws, out of that index only', () => {
    const failures: string[] = [];
    const store = new IndexedStore<Thing>((name) => failures.push(name));
    store.addIndex('fragile', (t) => {
      if (t.metadata?.name === 'bad') throw new Error('no');
      return ['all'];
    });
    store.addIndex('ref', (t) => t.refs ?? []);
    store.set(thing('a', 'good', ['x']));
    store.set(thing('a', 'bad', ['x']));
    expect(failures).toEqual(['fragile']);
    expect(names(store.byIndex('fragile', 'all'))).toEqual(['good']);
    expect(names(store.byIndex('ref', 'x'))).toEqual(['bad', 'good']);
    expect(store.get('a', 'bad')).toBeDefined();
  });

  it('refuses an index name twice (unless it is the same function) and lookups in an index that does not exist', () => {
    const { store } = storeWithRefIndex();
    expect(() => store.addIndex('ref', () => [])).toThrow(/already exists/);
    const shared = (t: Thing) => t.refs ?? [];
    store.addIndex('shared', shared);
    expect(() => store.addIndex('shared', shared)).not.toThrow();
    expect(() => store.byIndex('other', 'x')).toThrow(/no index named other/);
  });
});
