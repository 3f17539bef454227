// One APIM client per target (URL, organization, environment, credentials), kept while it is used
// and closed after a while without use: connections to an APIM installation are reused across calls,
// and a context whose credentials changed gets a new client while the old one is closed.
import { createHash } from 'node:crypto';
import { createApimClient, type ApimClient, type ClientOptions } from './client.ts';
import { resolveTarget, type ApimTarget, type ContextObject, type SecretReader } from './target.ts';

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
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: ClientOptions, readSecret: SecretReader) {
    this.options = options;
    this.readSecret = readSecret;
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
  }

  /** The client for the context's target; throws ContextError when the context cannot be used. */
  forContext(context: ContextObject): ApimClient {
    const target = resolveTarget(context, this.readSecret);
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
