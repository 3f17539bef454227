// Lookups backed by the informer cache. APIM clients are kept per target (URL, ids, credentials) and
// closed when unused for a while, so that a context's connections are reused across requests.
import { createHash } from 'node:crypto';
import type { KindName, ManagementContext } from '@gko/api';
import type { ObjectCache } from '@gko/kube';
import { createApimClient, resolveTarget, type ApimClient, type ApimTarget, type ClientOptions } from '@gko/mapi';
import type { AdmissionSettings, Lookups } from '../rules/rule.ts';

interface KeptClient {
  client: ApimClient;
  lastUse: number;
}

const IDLE_MS = 10 * 60_000;

function targetKey(target: ApimTarget): string {
  return createHash('sha256').update(JSON.stringify(target)).digest('hex');
}

/** Secret data is base64 in the API; ConfigMap data is text. */
export function objectData(object: unknown): Record<string, string> | undefined {
  if (!object) return undefined;
  const { kind, data } = object as { kind?: string; data?: Record<string, string> };
  if (kind === 'Secret')
    return Object.fromEntries(
      Object.entries(data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
    );
  return { ...(data ?? {}) };
}

export class ClusterLookups implements Lookups {
  readonly settings: AdmissionSettings;
  private readonly cache: ObjectCache;
  private readonly clientOptions: ClientOptions;
  private readonly clients = new Map<string, KeptClient>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(cache: ObjectCache, settings: AdmissionSettings, clientOptions: ClientOptions) {
    this.cache = cache;
    this.settings = settings;
    this.clientOptions = clientOptions;
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
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
    const target = resolveTarget(context, (ns, name) => this.data('Secret', ns, name));
    const key = targetKey(target);
    let kept = this.clients.get(key);
    if (!kept) {
      kept = { client: createApimClient(target, this.clientOptions), lastUse: 0 };
      this.clients.set(key, kept);
    }
    kept.lastUse = Date.now();
    return kept.client;
  }

  now(): Date {
    return new Date();
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [key, kept] of this.clients) {
      if (now - kept.lastUse > IDLE_MS) {
        this.clients.delete(key);
        await kept.client.close();
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.clients.values()].map((k) => k.client.close()));
    this.clients.clear();
  }
}
