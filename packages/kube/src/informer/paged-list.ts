// One full list of a resource, page by page (limit + continue), so that thousands of objects are not
// read in one response. A continue token lives only as long as the server keeps the version it was
// cut from; when one expires mid-list (410 Gone), the list starts again from the first page.
import type { KubernetesObject } from '@kubernetes/client-node';
import { apiRequest } from '../client/api-request.ts';
import type { KubeConnection } from '../client/connection.ts';
import { GONE, httpStatusOf } from './api-errors.ts';
import { collectionPath, type ResourceType } from './resource.ts';

export interface ListRequest<T extends KubernetesObject> {
  connection: KubeConnection;
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

/** A page as the server sends it (the generated client's types rename `continue`). */
interface ListPage<T> {
  items?: T[] | null;
  metadata?: { resourceVersion?: string; continue?: string };
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
    let page: ListPage<T>;
    try {
      page = await fetchPage(request, continueToken);
    } catch (error) {
      // Without a token, 410 is not about paging: a real failure.
      if (continueToken !== undefined && httpStatusOf(error) === GONE) return 'expired';
      throw error;
    }
    for (const item of page.items ?? []) items.push(request.prepare(item));
    continueToken = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (continueToken);
  return { items, resourceVersion };
}

async function fetchPage<T extends KubernetesObject>(
  request: ListRequest<T>,
  continueToken: string | undefined,
): Promise<ListPage<T>> {
  // The deadline and the informer's stop both end the request itself, not just the wait for it, so
  // that a page given up does not keep its connection.
  try {
    return await apiRequest<ListPage<T>>(request.connection, {
      method: 'GET',
      path: collectionPath(request.resource, request.namespace),
      query: { limit: request.pageSize, continue: continueToken },
      timeoutMs: request.pageTimeoutMs,
      signal: request.signal,
    });
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError')
      throw new Error(`no answer to a list within ${request.pageTimeoutMs} ms`, { cause: error });
    throw error;
  }
}
