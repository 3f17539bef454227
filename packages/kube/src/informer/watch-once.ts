// One watch of a resource, from a known version until it ends, and how it ended: 'ended' (the server
// closed it, as it does every `timeoutSeconds`: resume from the last version seen), 'gone' (the
// version is older than the server keeps, as an ERROR event or an HTTP 410: list again) or 'stalled'
// (nothing arrived for the watchdog period: the connection is presumed dead, resume on a new one) or
// 'unreachable' (the connection failed, or the server is not ready for watches yet (429): it is down
// or restarting; watch from the same version again rather than list everything again, and let the
// server say 410 if it cannot resume from there). Anything else is an error, thrown.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection } from '../client/connection.ts';
import { WatchProtocolError, watchStream, type WatchEvent } from '../client/watch.ts';
import { GONE, TOO_MANY_REQUESTS, asError, httpStatusOf } from './api-errors.ts';
import { Watchdog } from './watchdog.ts';

export type WatchOutcome = 'ended' | 'gone' | 'stalled' | 'unreachable';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

export interface WatchRequest<T extends KubernetesObject> {
  connection: KubeConnection;
  path: string;
  resourceVersion: string;
  timeoutSeconds: number;
  watchdogMs: number;
  /** Ends the watch at once, as 'ended' (the informer stops). */
  signal: AbortSignal;
  /** Every event, in order; throwing ends the watch with that error. */
  onEvent: (type: WatchEventType, object: T) => void;
  /** The server accepted the watch (a 200, or a first event). */
  onEstablished: () => void;
}

interface Status {
  code?: number;
  reason?: string;
  message?: string;
}

function statusError(status: Status): Error {
  return new Error(`watch error ${status.code ?? '?'} ${status.reason ?? ''}: ${status.message ?? ''}`);
}

/** A connection that failed, or a server not ready for watches: not what the stream said. */
function unreachable(error: unknown, status: number | undefined): boolean {
  return status === TOO_MANY_REQUESTS || (status === undefined && !(error instanceof WatchProtocolError));
}

export function watchOnce<T extends KubernetesObject>(request: WatchRequest<T>): Promise<WatchOutcome> {
  return new Promise<WatchOutcome>((resolve, reject) => {
    const { signal } = request;
    let settled = false;
    let established = false;
    // Aborted once the outcome is known, whatever it is: the connection must not outlive the watch.
    const connection = new AbortController();

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      signal.removeEventListener('abort', onStop);
      connection.abort();
      settle();
    };
    const onStop = () => finish(() => resolve('ended'));
    const markEstablished = () => {
      if (established || settled) return;
      established = true;
      request.onEstablished();
    };
    const watchdog = new Watchdog(request.watchdogMs, () => finish(() => resolve('stalled')));

    const onEvent = ({ type, object }: WatchEvent) => {
      // Lines of a chunk already read when the watch was given up (stopped, stalled, gone) must not
      // reach the cache.
      if (settled) return;
      markEstablished();
      watchdog.feed();
      if (type === 'ERROR') {
        const status = (object ?? {}) as Status;
        finish(() => (status.code === GONE ? resolve('gone') : reject(statusError(status))));
        return;
      }
      if (!EVENT_TYPES.has(type)) return;
      try {
        request.onEvent(type as WatchEventType, object as T);
      } catch (error) {
        // An event that could not be applied ends the watch: going on would leave the cache wrong
        // until the next relist, without a word.
        finish(() => reject(asError(error)));
      }
    };

    if (signal.aborted) return onStop();
    signal.addEventListener('abort', onStop, { once: true });
    const query = {
      resourceVersion: request.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: request.timeoutSeconds,
    };
    watchStream(request.connection, {
      path: request.path,
      query,
      signal: connection.signal,
      onOpen: markEstablished,
      onEvent,
    }).then(
      () => finish(() => resolve('ended')),
      (error: unknown) =>
        finish(() => {
          const status = httpStatusOf(error);
          if (status === GONE) resolve('gone');
          else if (unreachable(error, status) && !signal.aborted) resolve('unreachable');
          else reject(asError(error));
        }),
    );
  });
}
