// How every call to APIM travels: over kept-alive connections, through a proxy when configured,
// trusting an extra CA bundle when given, authenticated, with a timeout on each attempt (and within
// the deadline of the work it belongs to), at most a few calls at a time per APIM installation (the
// connection pool's own limit) with a bounded queue behind them, and retried with jittered backoff
// when that can help.
import { rootCertificates } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, EnvHttpProxyAgent, ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { currentWorkSignal, redactText, silentLogger, type BackoffPolicy, type Logger } from '@gko/runtime';
import type { ApimCredentials } from '../target.ts';
import { ApimError, httpErrorMessage, type ApimErrorKind } from './errors.ts';
import { retryDelay, type AttemptOutcome } from './retry.ts';
import { currentApimDeadline } from './deadline.ts';

export type ProxyOptions = { url: string; username?: string; password?: string } | { system: true };

export interface TransportOptions {
  credentials: ApimCredentials;
  /** Per attempt. */
  timeoutMs?: number;
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Calls in flight at once to this APIM installation (connections of the pool). */
  maxConcurrency?: number;
  /** Calls that may wait for a connection; more are refused at once (ApimError kind busy). */
  maxQueued?: number;
  proxy?: ProxyOptions;
  /** Extra trusted certificates (PEM), added to the system ones. */
  caBundle?: string;
  /** Accept any server certificate. Only for tests and throw-away installations. */
  insecureSkipVerify?: boolean;
  logger?: Logger;
  /** Called after every attempt, e.g. to feed metrics. */
  onAttempt?: (record: AttemptRecord) => void;
  userAgent?: string;
  /** For tests: how to wait between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Refuse, before sending, any call that could change APIM: only reads and dry runs go out. For the
   * tools that preview or check manifests against a live APIM.
   */
  readOnly?: boolean;
}

/** A read, or a dry run (APIM validates and stores nothing). */
function changesNothing(method: string, url: string): boolean {
  return method === 'GET' || method === 'HEAD' || new URL(url).searchParams.get('dryRun') === 'true';
}

export interface AttemptRecord {
  method: string;
  url: string;
  attempt: number;
  status?: number;
  error?: ApimErrorKind;
  durationMs: number;
}

export interface Transport {
  fetch(request: Request): Promise<Response>;
  /** Secret values to keep out of anything shown. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

export const DEFAULT_TRANSPORT = {
  timeoutMs: 10_000,
  maxAttempts: 3,
  backoff: { baseDelayMs: 250, maxDelayMs: 4_000, jitter: 0.2 } satisfies BackoffPolicy,
  maxConcurrency: 8,
  maxQueued: 256,
};

function authorization(credentials: ApimCredentials): string {
  return credentials.kind === 'bearer'
    ? `Bearer ${credentials.token}`
    : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

function dispatcherFor(options: TransportOptions, connections: number): Dispatcher {
  const tls = {
    ...(options.caBundle ? { ca: [...rootCertificates, options.caBundle] } : {}),
    rejectUnauthorized: !options.insecureSkipVerify,
  };
  // One request per connection at a time: `connections` is then the number of calls in flight.
  const pool = { keepAliveTimeout: 30_000, connections, pipelining: 1 };
  const proxy = options.proxy;
  if (!proxy) return new Agent({ ...pool, connect: tls });
  if ('system' in proxy) return new EnvHttpProxyAgent({ ...pool, requestTls: tls, connect: tls });
  const token = proxy.username
    ? `Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`
    : undefined;
  return new ProxyAgent({ ...pool, uri: proxy.url, ...(token ? { token } : {}), requestTls: tls });
}

function classify(error: unknown): 'network' | 'timeout' {
  const name = (error as { name?: string }).name;
  return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export function createTransport(options: TransportOptions): Transport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TRANSPORT.timeoutMs;
  const maxAttempts = options.maxAttempts ?? DEFAULT_TRANSPORT.maxAttempts;
  const policy = options.backoff ?? DEFAULT_TRANSPORT.backoff;
  const concurrency = options.maxConcurrency ?? DEFAULT_TRANSPORT.maxConcurrency;
  const maxQueued = options.maxQueued ?? DEFAULT_TRANSPORT.maxQueued;
  const dispatcher = dispatcherFor(options, concurrency);
  let pending = 0;
  const logger = options.logger ?? silentLogger;
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  const auth = authorization(options.credentials);
  const secrets = [
    auth.slice(auth.indexOf(' ') + 1),
    ...(options.credentials.kind === 'bearer' ? [options.credentials.token] : [options.credentials.password]),
    ...(options.proxy && 'password' in options.proxy && options.proxy.password ? [options.proxy.password] : []),
  ];
  const safe = (text: string) => redactText(text, secrets);

  const send = async (request: Request): Promise<Response> => {
    const method = request.method.toUpperCase();
    const url = request.url;
    const body = method === 'GET' || method === 'DELETE' || method === 'HEAD' ? undefined : await request.text();
    const headers: Record<string, string> = Object.fromEntries(request.headers.entries());
    headers['authorization'] = auth;
    headers['accept'] = 'application/json';
    headers['user-agent'] = options.userAgent ?? 'gko-operator';
    if (body !== undefined) headers['content-type'] ??= 'application/json';

    const deadline = currentApimDeadline();
    const failure = (kind: ApimErrorKind, cause: string) => {
      const details = { kind, method, url: safe(url), apimMessage: safe(cause) };
      return new ApimError(details, httpErrorMessage(details));
    };
    if (options.readOnly && !changesNothing(method, url)) throw failure('refused', 'this client only reads from APIM');
    if (pending >= concurrency + maxQueued) throw failure('busy', 'too many calls to APIM are already waiting');
    pending++;
    try {
      return await attempts();
    } finally {
      pending--;
    }

    async function attempts(): Promise<Response> {
      for (let attempt = 0; ; attempt++) {
        const left = deadline ? deadline.at - Date.now() : Number.POSITIVE_INFINITY;
        // The work this call belongs to may be abandoned (a reconcile cancelled at shutdown).
        const abandoned = [deadline?.signal, currentWorkSignal()].filter((s): s is AbortSignal => !!s);
        if (left <= 0 || abandoned.some((s) => s.aborted)) throw failure('timeout', 'no time left within the deadline');
        const started = performance.now();
        let outcome: AttemptOutcome;
        try {
          const timeout = AbortSignal.timeout(Math.min(timeoutMs, left));
          const response = await undiciFetch(url, {
            method,
            headers,
            body,
            dispatcher,
            signal: abandoned.length > 0 ? AbortSignal.any([timeout, ...abandoned]) : timeout,
          });
          const durationMs = performance.now() - started;
          options.onAttempt?.({ method, url, attempt, status: response.status, durationMs });
          logger.debug('APIM call', {
            method,
            url: safe(url),
            status: response.status,
            attempt,
            durationMs: Math.round(durationMs),
          });
          outcome = { status: response.status, retryAfter: response.headers.get('retry-after') };
          const delay = fitting(retryDelay({ method, outcome, attempt, maxAttempts, policy }));
          if (delay === undefined) return response;
          await response.body?.cancel();
          logger.warn('APIM call failed, retrying', {
            method,
            url: safe(url),
            status: response.status,
            attempt,
            delayMs: delay,
          });
          await wait(delay);
        } catch (error) {
          if (error instanceof ApimError) throw error;
          const kind = classify(error);
          const durationMs = performance.now() - started;
          options.onAttempt?.({ method, url, attempt, error: kind, durationMs });
          const delay = fitting(retryDelay({ method, outcome: { error: kind }, attempt, maxAttempts, policy }));
          if (delay === undefined) throw failure(kind, `APIM cannot be reached (${causeOf(error)})`);
          logger.warn('APIM call failed, retrying', { method, url: safe(url), error: kind, attempt, delayMs: delay });
          await wait(delay);
        }
      }
    }

    /** A retry that could not start before the deadline is no retry. */
    function fitting(delay: number | undefined): number | undefined {
      if (delay === undefined || !deadline) return delay;
      return Date.now() + delay < deadline.at ? delay : undefined;
    }
  };

  return { fetch: send, secrets, close: () => dispatcher.close() };
}
