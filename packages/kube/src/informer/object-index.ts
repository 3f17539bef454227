// One secondary index of a store: for each value, the keys of the objects the index function gives
// that value. The values last computed for each key are remembered, so that an update or a delete
// removes exactly the entries it added, even if the function is not pure.
export type IndexFunction<T> = (object: T) => string[];

export class ObjectIndex<T> {
  private readonly indexFunction: IndexFunction<T>;
  private readonly onError: (error: unknown) => void;
  private readonly keysByValue = new Map<string, Set<string>>();
  private readonly valuesByKey = new Map<string, readonly string[]>();

  constructor(indexFunction: IndexFunction<T>, onError: (error: unknown) => void) {
    this.indexFunction = indexFunction;
    this.onError = onError;
  }

  /** Indexes (or re-indexes) the object stored under this key. */
  put(key: string, object: T): void {
    const values = this.valuesOf(object);
    const previous = this.valuesByKey.get(key) ?? [];
    for (const value of previous) if (!values.includes(value)) this.unlink(value, key);
    for (const value of values) this.link(value, key);
    if (values.length > 0) this.valuesByKey.set(key, values);
    else this.valuesByKey.delete(key);
  }

  remove(key: string): void {
    for (const value of this.valuesByKey.get(key) ?? []) this.unlink(value, key);
    this.valuesByKey.delete(key);
  }

  clear(): void {
    this.keysByValue.clear();
    this.valuesByKey.clear();
  }

  keys(value: string): ReadonlySet<string> {
    return this.keysByValue.get(value) ?? new Set();
  }

  /** A throwing index function must not corrupt the store: the object is then left out of this index. */
  private valuesOf(object: T): string[] {
    try {
      return [...new Set(this.indexFunction(object))];
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  private link(value: string, key: string): void {
    const keys = this.keysByValue.get(value);
    if (keys) keys.add(key);
    else this.keysByValue.set(value, new Set([key]));
  }

  private unlink(value: string, key: string): void {
    const keys = this.keysByValue.get(value);
    keys?.delete(key);
    // Empty sets would pile up for values that come and go (e.g. deleted namespaces).
    if (keys?.size === 0) this.keysByValue.delete(value);
  }
}
