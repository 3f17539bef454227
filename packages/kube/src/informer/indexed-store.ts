// The objects of one resource by namespace and name, with indexes kept current on every change so
// that a lookup by namespace or by an index value never scans the whole store.
import type { KubernetesObject } from '@kubernetes/client-node';
import { ObjectIndex, type IndexFunction } from './object-index.ts';

const objectKey = (namespace: string | undefined, name: string | undefined): string =>
  `${namespace ?? ''}/${name ?? ''}`;

/** What identifies an object in a store: its namespace and name. */
export const keyOf = (object: KubernetesObject): string => objectKey(object.metadata?.namespace, object.metadata?.name);

export class IndexedStore<T extends KubernetesObject> {
  private readonly objects = new Map<string, T>();
  private readonly byNamespace: ObjectIndex<T>;
  private readonly indexes = new Map<string, ObjectIndex<T>>();
  private readonly indexFunctions = new Map<string, IndexFunction<T>>();
  private readonly onIndexError: (name: string, error: unknown) => void;

  constructor(onIndexError: (name: string, error: unknown) => void = () => {}) {
    this.onIndexError = onIndexError;
    this.byNamespace = new ObjectIndex(
      (object) => [object.metadata?.namespace ?? ''],
      () => {},
    );
  }

  get size(): number {
    return this.objects.size;
  }

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(objectKey(namespace, name));
  }

  /** Every object, or those of one namespace ('' for cluster-scoped objects). */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.objects.values()];
    return this.resolve(this.byNamespace.keys(namespace));
  }

  /** Stores the object, returning the one it replaces. */
  set(object: T): T | undefined {
    const key = keyOf(object);
    const previous = this.objects.get(key);
    this.objects.set(key, object);
    this.byNamespace.put(key, object);
    for (const index of this.indexes.values()) index.put(key, object);
    return previous;
  }

  /** Removes the object with this object's namespace and name, returning what was stored. */
  delete(object: KubernetesObject): T | undefined {
    const key = keyOf(object);
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.objects.delete(key);
    this.byNamespace.remove(key);
    for (const index of this.indexes.values()) index.remove(key);
    return previous;
  }

  /** Replaces the whole content, as after a full list. */
  replace(objects: Iterable<T>): void {
    this.objects.clear();
    this.byNamespace.clear();
    for (const index of this.indexes.values()) index.clear();
    for (const object of objects) this.set(object);
  }

  /** Adds an index; objects already stored are indexed at once. */
  /** Installs an index; the same function under the same name again (two users of one cache) is a no-op. */
  addIndex(name: string, indexFunction: IndexFunction<T>): void {
    if (this.indexFunctions.get(name) === indexFunction) return;
    if (this.indexes.has(name)) throw new Error(`index ${name} already exists`);
    this.indexFunctions.set(name, indexFunction);
    const index = new ObjectIndex(indexFunction, (error) => this.onIndexError(name, error));
    for (const [key, object] of this.objects) index.put(key, object);
    this.indexes.set(name, index);
  }

  hasIndex(name: string): boolean {
    return this.indexes.has(name);
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`no index named ${name}`);
    return this.resolve(index.keys(value));
  }

  private resolve(keys: ReadonlySet<string>): T[] {
    const found: T[] = [];
    for (const key of keys) {
      const object = this.objects.get(key);
      if (object) found.push(object);
    }
    return found;
  }
}
