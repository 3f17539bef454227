// One APIM client per target (URL, organization, environment, credentials), kept while it is used
// and closed after a while without use: connections to an APIM installation are reused across calls,
// and a context whose credentials changed gets a new client while the old one is closed.
import { createHash } from 'node:crypto';
import { createApimClient, type ApimClient, type ClientOptions } from './client.ts';
import { ContextError, resolveTarget, type ApimTarget, type ContextObject, type SecretReader } from './target.ts';

interface KeptClient {
  client: ApimClient;
  lastUse: number;
}

const IDLE_MS = 10 * 60_000;

function targetKey(target: ApimTarget): string {
  return createHash('sha256').update(JSON.stringify(target)).digest('hex');
}

export class ApimClientPool {
  private readonly options: ClientOptions;
  private readonly readSecret: SecretReader;
  private readonly clients = new Map<string, KeptClient>();
  /** The last target each context resolved to, by namespace/name. */
  private readonly lastTargets = new Map<string, ApimTarget>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: ClientOptions, readSecret: SecretReader) {
    this.options = options;
    this.readSecret = readSecret;
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /**
   * The client for the context's target; throws ContextError when the context cannot be used. With
   * `lastKnown`, a context that can no longer be resolved (its Secret, or itself, deleted first, as
   * when a whole namespace goes) falls back to the target it last resolved to in this process: what
   * it created in APIM can still be removed. `readSecret` replaces the pool's reader for this call.
   */
  forContext(context: ContextObject, options: { lastKnown?: boolean; readSecret?: SecretReader } = {}): ApimClient {
    const name = `${context.metadata.namespace ?? 'default'}/${context.metadata.name ?? ''}`;
    let target: ApimTarget;
    try {
      target = resolveTarget(context, options.readSecret ?? this.readSecret);
      this.lastTargets.set(name, target);
    } catch (error) {
      const known = options.lastKnown && error instanceof ContextError ? this.lastTargets.get(name) : undefined;
      if (!known) throw error;
      target = known;
    }
    const key = targetKey(target);
    let kept = this.clients.get(key);
    if (!kept) {
      kept = { client: createApimClient(target, this.options), lastUse: 0 };
      this.clients.set(key, kept);
    }
    kept.lastUse = Date.now();
    return kept.client;
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
