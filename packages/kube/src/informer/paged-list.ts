// One full list of a resource, page by page (limit + continue), so that thousands of objects are not
// read in one response. A continue token lives only as long as the server keeps the version it was
// cut from; when one expires mid-list (410 Gone), the list starts again from the first page.
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../client/kube-client.ts';
import { GONE, asError, httpStatusOf } from './api-errors.ts';
import type { ResourceType } from './resource.ts';

export interface ListRequest<T extends KubernetesObject> {
  client: KubeClient;
  resource: ResourceType;
  namespace: string | undefined;
  pageSize: number;
  /** Longest wait for one page: a dead connection must not hold the list forever. */
  pageTimeoutMs: number;
  /** Ends the list at once (the informer stops). */
  signal: AbortSignal;
  /** Applied to each item as its page arrives, so that only what is kept stays in memory. */
  prepare: (item: T) => T;
  /** Told when a continue token expired and the list starts over. */
  onExpired?: () => void;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

// A list whose tokens keep expiring is slower than the server's history; past this many restarts it
// fails, and the caller backs off before trying again.
const MAX_RESTARTS = 3;

export async function listAll<T extends KubernetesObject>(request: ListRequest<T>): Promise<ListResult<T>> {
  for (let restarts = 0; ; restarts++) {
    const result = await listFromFirstPage(request);
    if (result !== 'expired') return result;
    if (restarts >= MAX_RESTARTS) throw new Error(`the list's continue token expired ${restarts + 1} times`);
    request.onExpired?.();
  }
}

async function listFromFirstPage<T extends KubernetesObject>(
  request: ListRequest<T>,
): Promise<ListResult<T> | 'expired'> {
  const items: T[] = [];
  let continueToken: string | undefined;
  let resourceVersion = '';
  do {
    let page: KubernetesListObject<T>;
    try {
      page = await withDeadline(fetchPage(request, continueToken), request.pageTimeoutMs, request.signal);
    } catch (error) {
      // Without a token, 410 is not about paging: a real failure.
      if (continueToken !== undefined && httpStatusOf(error) === GONE) return 'expired';
      throw error;
    }
    for (const item of page.items) items.push(request.prepare(item));
    continueToken = page.metadata?._continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (continueToken);
  return { items, resourceVersion };
}

function fetchPage<T extends KubernetesObject>(
  request: ListRequest<T>,
  continueToken: string | undefined,
): Promise<KubernetesListObject<T>> {
  const { resource } = request;
  return request.client.objects.list<T>(
    resource.apiVersion,
    resource.kind,
    request.namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    request.pageSize,
    continueToken,
  );
}

/** The promise's outcome, unless it takes longer than `ms` or the signal fires first. */
function withDeadline<V>(promise: Promise<V>, ms: number, signal: AbortSignal): Promise<V> {
  return new Promise((resolve, reject) => {
    const settle = (then: () => void) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      then();
    };
    const onAbort = () => settle(() => reject(new Error('stopped')));
    const timer = setTimeout(() => settle(() => reject(new Error(`no answer to a list within ${ms} ms`))), ms);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(asError(error))),
    );
  });
}
