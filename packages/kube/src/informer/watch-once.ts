// One watch of a resource, from a known version until it ends, and how it ended: 'ended' (the server
// closed it, as it does every `timeoutSeconds`: resume from the last version seen), 'gone' (the
// version is older than the server keeps, as an ERROR event or an HTTP 410: list again) or 'stalled'
// (nothing arrived for the watchdog period: the connection is presumed dead, resume on a new one).
// Anything else is an error, thrown.
import type { KubernetesObject, Watch } from '@kubernetes/client-node';
import { GONE, asError, httpStatusOf } from './api-errors.ts';
import { Watchdog } from './watchdog.ts';

export type WatchOutcome = 'ended' | 'gone' | 'stalled';
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

export interface WatchRequest<T extends KubernetesObject> {
  watch: Watch;
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

export function watchOnce<T extends KubernetesObject>(request: WatchRequest<T>): Promise<WatchOutcome> {
  return new Promise<WatchOutcome>((resolve, reject) => {
    const { signal } = request;
    let settled = false;
    let established = false;
    let connection: AbortController | undefined;

    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      signal.removeEventListener('abort', onStop);
      connection?.abort();
      settle();
    };
    const onStop = () => finish(() => resolve('ended'));
    const markEstablished = () => {
      if (established) return;
      established = true;
      request.onEstablished();
    };
    const watchdog = new Watchdog(request.watchdogMs, () => finish(() => resolve('stalled')));

    const onEvent = (type: string, object: unknown) => {
      // Lines still buffered from a watch given up (aborted, stalled, gone) must not reach the cache.
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
        // The client swallows what its callback throws: an event that could not be applied would be
        // lost without a word, and the cache wrong until the next relist.
        finish(() => reject(asError(error)));
      }
    };

    const onDone = (error: unknown) => {
      if (!error) return finish(() => resolve('ended'));
      if (httpStatusOf(error) === GONE) return finish(() => resolve('gone'));
      const name = (error as { name?: unknown }).name;
      // The client's own inactivity timer ended a watch that was working: resume it, like a server close.
      if (established && (name === 'TimeoutError' || name === 'AbortError')) return finish(() => resolve('ended'));
      finish(() => reject(asError(error)));
    };

    if (signal.aborted) return onStop();
    signal.addEventListener('abort', onStop, { once: true });
    const query = {
      resourceVersion: request.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: request.timeoutSeconds,
    };
    request.watch.watch(request.path, query, onEvent, onDone).then(
      (controller) => {
        connection = controller;
        // Given up before the server answered (stop, watchdog): close the connection now that we hold it.
        if (settled) controller.abort();
        else markEstablished();
      },
      (error: unknown) => finish(() => reject(asError(error))),
    );
  });
}
