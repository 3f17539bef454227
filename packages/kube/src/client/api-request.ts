// Plain requests to the Kubernetes API, for what the generated clients make awkward: subresources
// (status), JSON patches with preconditions, and every call bounded by a deadline. Authentication
// (client certificates, tokens, in-cluster service account) comes from the KubeConfig.
import type { KubeConfig } from '@kubernetes/client-node';
import { HttpMethod, RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import { fetch, type Dispatcher } from 'undici';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path from the server root, e.g. /api/v1/namespaces/demo/configmaps/orders. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** For PATCH: application/json-patch+json or application/merge-patch+json. */
  contentType?: string;
  timeoutMs?: number;
}

/** What the API server answered, when it was not a success. */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number;
  /** The Status reason, e.g. NotFound, Conflict, AlreadyExists, Invalid. */
  readonly reason: string | undefined;
  constructor(method: string, path: string, status: number, reason: string | undefined, message: string) {
    super(`${method} ${path}: ${status}${reason ? ` ${reason}` : ''}: ${message}`);
    this.status = status;
    this.reason = reason;
  }
}

export const DEFAULT_KUBE_TIMEOUT_MS = 10_000;

// The client library builds a new connection pool for every request; one pool per config keeps
// connections (and TLS sessions) alive across the thousands of writes a resync can make.
const dispatchers = new WeakMap<KubeConfig, Dispatcher>();

export const isNotFound = (error: unknown) => error instanceof KubeApiError && error.status === 404;
export const isConflict = (error: unknown) => error instanceof KubeApiError && error.status === 409;

function dispatcherFor(config: KubeConfig, context: RequestContext): Dispatcher | undefined {
  const fresh = context.getDispatcher();
  if (!fresh) return undefined;
  const kept = dispatchers.get(config);
  if (kept) {
    void fresh.close();
    return kept;
  }
  dispatchers.set(config, fresh);
  return fresh;
}

/** Sends one request to the API server of the config's current cluster; parses the JSON answer. */
export async function apiRequest<T>(config: KubeConfig, request: ApiRequest): Promise<T> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const method = HttpMethod[request.method];
  const context = new RequestContext(url.toString(), method);
  await config.applySecurityAuthentication(context);
  const headers: Record<string, string> = { ...context.getHeaders(), accept: 'application/json' };
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const response = await fetch(url, {
    method: request.method,
    headers,
    dispatcher: dispatcherFor(config, context),
    signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_KUBE_TIMEOUT_MS),
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const status = parsed as { reason?: string; message?: string } | undefined;
    throw new KubeApiError(
      request.method,
      request.path,
      response.status,
      status?.reason,
      status?.message ?? (text.slice(0, 300) || response.statusText),
    );
  }
  return parsed as T;
}
