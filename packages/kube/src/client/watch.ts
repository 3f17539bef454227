// One watch request: the server streams a chunked body in which each line is one JSON event
// ({ type, object }). Chunks do not follow lines: a line may span chunks, a chunk hold many lines.
// What to make of the events, and when to give up, is the caller's (see informer/watch-once.ts).
import { fetch } from 'undici';
import { apiError, requestUrl, withReason, type Query } from './api-request.ts';
import type { KubeConnection } from './connection.ts';

/** The stream itself was not what a watch sends (as opposed to a connection that failed). */
export class WatchProtocolError extends Error {
  override name = 'WatchProtocolError';
}

export interface WatchEvent {
  /** ADDED, MODIFIED, DELETED, BOOKMARK or ERROR (whose object is a Status). */
  type: string;
  object: unknown;
}

export interface WatchStreamRequest {
  /** The collection path, e.g. /api/v1/namespaces/demo/configmaps. */
  path: string;
  /** resourceVersion, timeoutSeconds, allowWatchBookmarks...; watch=true is added. */
  query?: Query;
  /** Ends the watch: the promise rejects with the abort reason. */
  signal: AbortSignal;
  /** The server accepted the watch (it answered 200), before any event. */
  onOpen?: () => void;
  /** Each event, in order; what it throws ends the watch with that error. */
  onEvent: (event: WatchEvent) => void;
}

/**
 * Resolves when the server ends the stream; rejects with a KubeApiError (its status, e.g. 410 Gone)
 * when the watch is refused, or with whatever broke the stream.
 */
export async function watchStream(connection: KubeConnection, request: WatchStreamRequest): Promise<void> {
  const url = requestUrl(connection, request.path, { ...request.query, watch: true });
  const headers = { ...(await connection.headers()), accept: 'application/json' };
  const response = await fetch(url, { headers, dispatcher: connection.dispatcher, signal: request.signal }).catch(
    (error: unknown) => {
      throw withReason('GET', request.path, error);
    },
  );
  if (!response.ok) throw apiError('GET', request.path, response, await response.text());
  request.onOpen?.();
  if (!response.body) return;

  const emit = (line: string) => {
    if (line.trim() === '') return;
    let event: { type?: unknown; object?: unknown };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      // Never the line itself in the message: it may be a Secret.
      throw new WatchProtocolError(
        `GET ${request.path}: the watch sent a line that is not JSON (${line.length} characters)`,
      );
    }
    if (typeof event.type !== 'string')
      throw new WatchProtocolError(`GET ${request.path}: the watch sent an event without a type`);
    request.onEvent({ type: event.type, object: event.object });
  };

  const decoder = new TextDecoder();
  let partial = '';
  for await (const chunk of response.body) {
    const text = partial + decoder.decode(chunk as Uint8Array, { stream: true });
    // The partial line holds no newline: search only what just arrived (a large object spans many chunks).
    let start = 0;
    for (let end = text.indexOf('\n', partial.length); end !== -1; end = text.indexOf('\n', start)) {
      emit(text.slice(start, end));
      start = end + 1;
    }
    partial = text.slice(start);
  }
  emit(partial + decoder.decode());
}
