// Lookups backed by the informer cache of our kinds, completed per request from the API server: the
// objects a request refers to that the cache does not have yet (created a moment ago, the watch not
// caught up), and the Secrets and ConfigMaps it reads, which the webhook does not cache at all and
// reads only for the request that needs them. APIM clients are kept per target (URL, ids,
// credentials) and closed when unused for a while, so that a context's connections are reused.
import {
  isIngressTemplate,
  objectDependencies,
  type IngressLike,
  type KindName,
  type ManagementContext,
} from '@gko/api';
import {
  apiRequest,
  isNotFound,
  collectionPath,
  CONFIG_MAPS,
  GRAVITEE_RESOURCES,
  INGRESSES,
  SECRETS,
  getObject,
  grantedData,
  type KubeConnection,
  type ObjectCache,
} from '@gko/kube';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ApimClientPool, type ApimClient, type ClientOptions, type SecretReader } from '@gko/mapi';
import type { AdmissionInput, AdmissionSettings, KubeObject, LookupSource, Lookups } from '../rules/rule.ts';

/** How far references are followed to find what a request reads: subscription → API → context → Secret. */
const DEPTH = 3;
/** Each read of the API server, within what is left of the admission deadline. */
const READ_TIMEOUT_MS = 2_000;
/** At most this many objects read for one request, this many at a time. */
const MAX_READS = 64;
const PARALLEL_READS = 8;

/** The results of `task` over the items, in order, with at most `limit` running at once. */
async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const key = (kind: string, namespace: string, name: string) => `${kind}/${namespace}/${name}`;
const resourceOf = (kind: string) =>
  kind === 'Secret' ? SECRETS : kind === 'ConfigMap' ? CONFIG_MAPS : GRAVITEE_RESOURCES.find((r) => r.kind === kind);

/** A cache of our kinds with the indexes of ADMISSION_INDEXES installed. */
export interface IndexedCache extends ObjectCache {
  byIndex(kind: string, index: string, value: string): KubernetesObject[];
}

export class ClusterLookups implements LookupSource {
  readonly settings: AdmissionSettings;
  private readonly cache: IndexedCache;
  private readonly connection: KubeConnection;
  private readonly pool: ApimClientPool;

  constructor(
    cache: IndexedCache,
    connection: KubeConnection,
    settings: AdmissionSettings,
    clientOptions: ClientOptions,
  ) {
    this.cache = cache;
    this.connection = connection;
    this.settings = settings;
    // Every request brings its own Secrets (see forRequest); none is read outside one.
    this.pool = new ApimClientPool(clientOptions, () => undefined);
  }

  async forRequest(input: AdmissionInput, signal: AbortSignal, maxDepth = DEPTH): Promise<Lookups> {
    const objects = new Map<string, KubeObject>();
    const sources = new Map<string, KubeObject | undefined>();
    // Also on DELETE: a delete guard may ask APIM whether the object is still there.
    const seen = new Set<string>();
    let level: KubeObject[] = [input.object];
    for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
      // Bounded: an object naming thousands of others costs at most MAX_READS reads (what is not read
      // counts as missing, and the rules say so).
      const unseen = level
        .flatMap((object) => objectDependencies(object))
        .filter((d) => !seen.has(key(d.kind, d.namespace, d.name)))
        .slice(0, Math.max(0, MAX_READS - seen.size));
      for (const d of unseen) seen.add(key(d.kind, d.namespace, d.name));
      const found = await mapLimited(unseen, PARALLEL_READS, async (d) => {
        const id = key(d.kind, d.namespace, d.name);
        if (d.kind === 'Secret' || d.kind === 'ConfigMap') {
          sources.set(id, await this.read(d.kind, d.namespace, d.name, signal));
          return undefined;
        }
        const known = this.cache.get(d.kind, d.namespace, d.name) as KubeObject | undefined;
        if (known) return known;
        const read = await this.read(d.kind, d.namespace, d.name, signal);
        if (read) objects.set(id, read);
        return read;
      });
      level = found.filter((o): o is KubeObject => !!o);
    }
    const ingresses =
      this.settings.ingressClasses && input.operation === 'DELETE' && isIngressTemplate(input.object)
        ? await this.listIngresses(input.namespace, signal)
        : [];
    return new RequestLookups(this, objects, sources, ingresses);
  }

  /** One list of a namespace's Ingresses: a guard must see them all, so a failure fails the request. */
  private async listIngresses(namespace: string, signal: AbortSignal): Promise<IngressLike[]> {
    const list = await apiRequest<{ items?: IngressLike[] }>(this.connection, {
      method: 'GET',
      path: collectionPath(INGRESSES, namespace),
      timeoutMs: READ_TIMEOUT_MS,
      signal,
    });
    return (list.items ?? []).map((i) => ({ ...i, metadata: { ...i.metadata, namespace } }));
  }

  async namespaceTerminating(namespace: string, signal: AbortSignal): Promise<boolean> {
    const found = await apiRequest<{ metadata?: { deletionTimestamp?: string }; status?: { phase?: string } }>(
      this.connection,
      {
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}`,
        timeoutMs: READ_TIMEOUT_MS,
        signal,
      },
    ).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    return !!found?.metadata?.deletionTimestamp || found?.status?.phase === 'Terminating';
  }

  private async read(kind: string, namespace: string, name: string, signal: AbortSignal) {
    const resource = resourceOf(kind);
    if (!resource) return undefined;
    return (await getObject(this.connection, resource, { namespace, name }, { timeoutMs: READ_TIMEOUT_MS, signal })) as
      KubeObject | undefined;
  }

  get<T>(kind: KindName, namespace: string, name: string): T | undefined {
    return this.cache.get(kind, namespace, name) as T | undefined;
  }

  list<T>(kind: KindName, namespace?: string): T[] {
    return this.cache.list(kind, namespace) as T[];
  }

  byIndex<T>(kind: KindName, index: string, value: string): T[] {
    return this.cache.byIndex(kind, index, value) as T[];
  }

  apim(context: ManagementContext, readSecret: SecretReader): ApimClient {
    return this.pool.forContext(context, { readSecret });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The lookups of one request: the cache, and what was read from the API server for it. */
class RequestLookups implements Lookups {
  readonly settings: AdmissionSettings;
  private readonly base: ClusterLookups;
  private readonly objects: Map<string, KubeObject>;
  private readonly sources: Map<string, KubeObject | undefined>;
  private readonly ingressList: IngressLike[];

  constructor(
    base: ClusterLookups,
    objects: Map<string, KubeObject>,
    sources: Map<string, KubeObject | undefined>,
    ingresses: IngressLike[],
  ) {
    this.ingressList = ingresses;
    this.base = base;
    this.settings = base.settings;
    this.objects = objects;
    this.sources = sources;
  }

  get<T>(kind: KindName, namespace: string, name: string): T | undefined {
    return this.base.get<T>(kind, namespace, name) ?? (this.objects.get(key(kind, namespace, name)) as T | undefined);
  }

  list<T>(kind: KindName, namespace?: string): T[] {
    return this.base.list<T>(kind, namespace);
  }

  byIndex<T>(kind: KindName, index: string, value: string): T[] {
    return this.base.byIndex<T>(kind, index, value);
  }

  data(
    kind: 'Secret' | 'ConfigMap',
    namespace: string,
    name: string,
    from: string,
  ): Record<string, string> | undefined {
    return grantedData(this.sources.get(key(kind, namespace, name)), namespace, from);
  }

  apim(context: ManagementContext): ApimClient {
    return this.base.apim(context, (namespace, name, from) => this.data('Secret', namespace, name, from));
  }

  ingresses(namespace: string): IngressLike[] {
    return this.ingressList.filter((i) => i.metadata?.namespace === namespace);
  }

  now(): Date {
    return new Date();
  }
}
