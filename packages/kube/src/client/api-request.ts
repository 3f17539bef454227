// Plain requests to the Kubernetes API: JSON in, JSON out, every call bounded by a deadline. They go
// through the connection's kept-alive Agent, with its credentials (see connection.ts).
import { fetch, type Response } from 'undici';
import { currentWorkSignal } from '@gko/runtime';
import type { KubeConnection } from './connection.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path from the server root, e.g. /api/v1/namespaces/demo/configmaps/orders. */
  path: string;
  query?: Query;
  body?: unknown;
  /** For PATCH: application/json-patch+json or application/merge-patch+json. */
  contentType?: string;
  timeoutMs?: number;
  /** The form of the answer (default application/json), e.g. metadata only. */
  accept?: string;
  /**
   * Abandons the request (e.g. when the caller stops), on top of the timeout and of the signal of the
   * work it belongs to (see withWorkSignal).
   */
  signal?: AbortSignal;
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

export const isNotFound = (error: unknown) => error instanceof KubeApiError && error.status === 404;
export const isConflict = (error: unknown) => error instanceof KubeApiError && error.status === 409;

export function requestUrl(connection: KubeConnection, path: string, query: Query = {}): URL {
  const url = new URL(connection.server + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url;
}

/** The error for a failed answer, with the reason and message of the Status the server sent, if any. */
export function apiError(method: string, path: string, response: { status: number; statusText: string }, text: string) {
  let status: { reason?: string; message?: string } | undefined;
  try {
    status = text ? (JSON.parse(text) as typeof status) : undefined;
  } catch {
    status = undefined;
  }
  return new KubeApiError(
    method,
    path,
    response.status,
    status?.reason,
    status?.message ?? (text.slice(0, 300) || response.statusText),
  );
}

/**
 * fetch says no more than "fetch failed": the reason (connection refused, a certificate not trusted)
 * is in its cause, and belongs in the message that gets logged. Timeouts and aborts pass unchanged.
 */
export function withReason(method: string, path: string, error: unknown): unknown {
  if (!(error instanceof TypeError) || !(error.cause instanceof Error)) return error;
  return new Error(`${method} ${path}: ${error.cause.message}`, { cause: error });
}

/** Sends one request to the API server; parses the JSON answer. */
export async function apiRequest<T>(connection: KubeConnection, request: ApiRequest): Promise<T> {
  const url = requestUrl(connection, request.path, request.query);
  const headers: Record<string, string> = {
    ...(await connection.headers()),
    accept: request.accept ?? 'application/json',
  };
  if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const signals = [AbortSignal.timeout(request.timeoutMs ?? DEFAULT_KUBE_TIMEOUT_MS)];
  if (request.signal) signals.push(request.signal);
  const work = currentWorkSignal();
  if (work) signals.push(work);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: request.method,
      headers,
      dispatcher: connection.dispatcher,
      signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals),
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    });
    text = await response.text();
  } catch (error) {
    throw withReason(request.method, request.path, error);
  }
  if (!response.ok) throw apiError(request.method, request.path, response, text);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return parsed as T;
}
