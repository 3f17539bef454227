// Lookups backed by the informer cache. APIM clients are kept per target (URL, ids, credentials) and
// closed when unused for a while, so that a context's connections are reused across requests.
import type { KindName, ManagementContext } from '@gko/api';
import { objectData, type ObjectCache } from '@gko/kube';
import { ApimClientPool, type ApimClient, type ClientOptions } from '@gko/mapi';
import type { AdmissionSettings, Lookups } from '../rules/rule.ts';

export class ClusterLookups implements Lookups {
  readonly settings: AdmissionSettings;
  private readonly cache: ObjectCache;
  private readonly pool: ApimClientPool;

  constructor(cache: ObjectCache, settings: AdmissionSettings, clientOptions: ClientOptions) {
    this.cache = cache;
    this.settings = settings;
    this.pool = new ApimClientPool(clientOptions, (ns, name) => this.data('Secret', ns, name));
  }

  get<T>(kind: KindName, namespace: string, name: string): T | undefined {
    return this.cache.get(kind, namespace, name) as T | undefined;
  }

  list<T>(kind: KindName, namespace?: string): T[] {
    return this.cache.list(kind, namespace) as T[];
  }

  data(kind: 'Secret' | 'ConfigMap', namespace: string, name: string): Record<string, string> | undefined {
    return objectData(this.cache.get(kind, namespace, name));
  }

  apim(context: ManagementContext): ApimClient {
    return this.pool.forContext(context);
  }

  now(): Date {
    return new Date();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
