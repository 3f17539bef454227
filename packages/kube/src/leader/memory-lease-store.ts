// A LeaseStore in memory, for tests: it checks resourceVersions as the API server does, and can be
// made to fail or to hang, like an API server that cannot be reached or does not answer.
import { LeaseConflictError, type LeaseRecord, type LeaseStore } from './lease-store.ts';

export class MemoryLeaseStore implements LeaseStore {
  private record: LeaseRecord | undefined;
  private version = 0;
  /** When set, every call fails with this error. */
  failWith: Error | undefined;
  /** When true, calls never settle. */
  hang = false;
  /** Runs before each write is checked, e.g. to let another writer get in first. */
  beforeWrite: (() => void) | undefined;
  /** Every successful write, in order. */
  readonly writes: LeaseRecord[] = [];

  constructor(initial?: LeaseRecord) {
    if (initial) this.put(initial);
  }

  /** The current Lease, read synchronously, for assertions. */
  get current(): LeaseRecord | undefined {
    return this.record && { ...this.record };
  }

  /** Writes the Lease unconditionally, as another client would; returns it with its new version. */
  put(record: LeaseRecord): LeaseRecord {
    this.record = { ...record, resourceVersion: String(++this.version) };
    this.writes.push({ ...this.record });
    return { ...this.record };
  }

  get(): Promise<LeaseRecord | undefined> {
    return this.call(() => this.current);
  }

  create(record: LeaseRecord): Promise<LeaseRecord> {
    return this.call(() => {
      this.beforeWrite?.();
      if (this.record) throw new LeaseConflictError('the lease exists already');
      return this.put(record);
    });
  }

  update(record: LeaseRecord): Promise<LeaseRecord> {
    return this.call(() => {
      this.beforeWrite?.();
      if (!this.record || record.resourceVersion !== this.record.resourceVersion)
        throw new LeaseConflictError(`resourceVersion ${record.resourceVersion} is not current`);
      return this.put(record);
    });
  }

  private async call<T>(operation: () => T): Promise<T> {
    if (this.hang) return new Promise<T>(() => undefined);
    if (this.failWith) throw this.failWith;
    return operation();
  }
}
