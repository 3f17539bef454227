// For the unit tests of the controller: a cache of objects given by hand, whose indexes are the
// functions installed on it, evaluated over its objects at each lookup.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { IndexedCache } from './dependencies/users.ts';
import type { CacheReader } from './reconcile/contract.ts';

export class FakeCache implements CacheReader, IndexedCache {
  readonly indexes = new Map<string, (object: KubernetesObject) => string[]>();
  private readonly objects: KubernetesObject[];

  constructor(objects: KubernetesObject[]) {
    this.objects = objects;
  }

  addIndex(kind: string, name: string, values: (object: KubernetesObject) => string[]): void {
    this.indexes.set(`${kind}/${name}`, values);
  }

  get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.objects.find(
      (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
  }

  list(kind: string, namespace?: string): KubernetesObject[] {
    return this.objects.filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace),
    );
  }

  byIndex(kind: string, index: string, value: string): KubernetesObject[] {
    const values = this.indexes.get(`${kind}/${index}`);
    if (!values) throw new Error(`no index ${index} on ${kind}`);
    return this.list(kind).filter((o) => values(o).includes(value));
  }
}
