// Lookups over objects held in memory: for tools that check manifests without a cluster, and for the
// rules' own tests. APIM is reached the same way as in the cluster (or not at all).
import type { IngressLike, KindName, ManagementContext } from '@gko/api';
import { createApimClient, resolveTarget, type ApimClient, type ClientOptions } from '@gko/mapi';
import {
  ApimNotConsulted,
  type AdmissionSettings,
  type KubeObject,
  type LookupSource,
  type Lookups,
} from '../rules/rule.ts';
import { grantedData } from '@gko/kube';
import { ADMISSION_INDEXES } from '../rules/indexes.ts';

export class MemoryLookups implements Lookups, LookupSource {
  readonly settings: AdmissionSettings;
  private readonly objects = new Map<string, KubeObject>();
  /** The declared indexes (ADMISSION_INDEXES), kept as objects are put: Kind/index/value → keys. */
  private readonly indexed = new Map<string, Set<string>>();
  private readonly clientOptions: ClientOptions;
  private readonly clock: () => Date;
  private readonly clients: ApimClient[] = [];
  private readonly terminating: Set<string>;
  private readonly ingressList: IngressLike[];
  private readonly consultApim: (context: ManagementContext) => boolean;

  constructor(
    options: {
      objects?: KubeObject[];
      settings?: Partial<AdmissionSettings>;
      clientOptions?: ClientOptions;
      now?: () => Date;
      /** Namespaces being deleted. */
      terminating?: string[];
      ingresses?: IngressLike[];
      /** Whether APIM may be asked through this context (all by default); rules skip what only APIM could tell. */
      consultApim?: (context: ManagementContext) => boolean;
    } = {},
  ) {
    this.consultApim = options.consultApim ?? (() => true);
    this.ingressList = options.ingresses ?? [];
    this.terminating = new Set(options.terminating ?? []);
    this.settings = { contextPathScope: 'namespace', ...options.settings };
    this.clientOptions = options.clientOptions ?? {};
    this.clock = options.now ?? (() => new Date());
    for (const object of options.objects ?? []) this.put(object);
  }

  put(object: KubeObject): this {
    const key = `${object.kind ?? ''}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    const replaced = this.objects.get(key);
    this.objects.set(key, object);
    const indexes = ADMISSION_INDEXES.filter((i) => i.kind === object.kind);
    if (replaced)
      for (const index of indexes)
        for (const value of index.values(replaced))
          this.indexed.get(`${index.kind}/${index.name}/${value}`)?.delete(key);
    for (const index of indexes)
      for (const value of index.values(object)) {
        const entry = `${index.kind}/${index.name}/${value}`;
        let keys = this.indexed.get(entry);
        if (!keys) this.indexed.set(entry, (keys = new Set()));
        keys.add(key);
      }
    return this;
  }

  ingresses(namespace: string): IngressLike[] {
    return this.ingressList.filter((i) => i.metadata?.namespace === namespace);
  }

  get<T>(kind: KindName, namespace: string, name: string): T | undefined {
    return this.objects.get(`${kind}/${namespace}/${name}`) as T | undefined;
  }

  byIndex<T>(kind: KindName, index: string, value: string): T[] {
    if (!ADMISSION_INDEXES.some((i) => i.kind === kind && i.name === index))
      throw new Error(`no index ${index} on ${kind}`);
    return [...(this.indexed.get(`${kind}/${index}/${value}`) ?? [])].map((key) => this.objects.get(key) as T);
  }

  list<T>(kind: KindName, namespace?: string): T[] {
    return [...this.objects.values()].filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
    ) as T[];
  }

  data(
    kind: 'Secret' | 'ConfigMap',
    namespace: string,
    name: string,
    from: string,
  ): Record<string, string> | undefined {
    return grantedData(this.objects.get(`${kind}/${namespace}/${name}`), namespace, from);
  }

  apim(context: ManagementContext): ApimClient {
    if (!this.consultApim(context))
      throw new ApimNotConsulted(
        `APIM is not consulted through ${context.metadata.namespace}/${context.metadata.name}`,
      );
    const client = createApimClient(
      resolveTarget(context, (ns, name, from) => this.data('Secret', ns, name, from)),
      this.clientOptions,
    );
    this.clients.push(client);
    return client;
  }

  now(): Date {
    return this.clock();
  }

  /** Everything is in memory already. */
  forRequest(): Promise<Lookups> {
    return Promise.resolve(this);
  }

  namespaceTerminating(namespace: string): Promise<boolean> {
    return Promise.resolve(this.terminating.has(namespace));
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}
