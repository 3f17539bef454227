// The cache a preview reads instead of the informers: the objects given, their indexes evaluated at
// each lookup (a preview looks up a few objects, a few times). Later objects replace earlier ones of
// the same kind, namespace and name: the manifests over what the cluster holds.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { IndexedCache } from '../dependencies/users.ts';
import type { CacheReader } from '../reconcile/contract.ts';

const keyOf = (o: KubernetesObject) => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export class PreviewCache implements CacheReader, IndexedCache {
  private readonly objects = new Map<string, KubernetesObject>();
  private readonly indexes = new Map<string, (object: KubernetesObject) => string[]>();

  constructor(objects: KubernetesObject[]) {
    for (const object of objects) this.objects.set(keyOf(object), object);
  }

  addIndex(kind: string, name: string, values: (object: KubernetesObject) => string[]): void {
    this.indexes.set(`${kind}/${name}`, values);
  }

  get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.objects.get(`${kind}/${namespace}/${name}`);
  }

  list(kind: string, namespace?: string): KubernetesObject[] {
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace),
    );
  }

  byIndex(kind: string, index: string, value: string): KubernetesObject[] {
    const values = this.indexes.get(`${kind}/${index}`);
    if (!values) throw new Error(`no index ${index} on ${kind}`);
    return this.list(kind).filter((o) => values(o).includes(value));
  }
}
