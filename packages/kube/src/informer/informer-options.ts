// How an informer is tuned, and the defaults that suit a production cluster.
import type { KubernetesObject } from '@kubernetes/client-node';
import { silentLogger, type BackoffPolicy, type Logger } from '@gko/runtime';
import { dropManagedFields, type ObjectTransform } from './transform.ts';

/** Why an informer gave up a watch or a list and started again (a small set, fit for a metric label). */
export type RestartReason = 'watchdog' | 'gone' | 'error';

export interface InformerOptions<T extends KubernetesObject = KubernetesObject> {
  /** Only this namespace; all namespaces when absent. */
  namespace?: string;
  /**
   * Every this often, handlers get every cached object again (event 'resync'), so that work that
   * failed or depends on time is retried. The cache is replayed; the API server is not asked. 0: never.
   */
  resyncMs?: number;
  /**
   * Seconds after which the server ends each watch (the informer then resumes it). Default: a random
   * time between 5 and 10 minutes for each watch, as client-go does: long, so that an idle informer
   * costs next to nothing, and spread, so that informers do not all come back at once.
   */
  watchSeconds?: number;
  /**
   * A watch that receives nothing (no event, no bookmark) for this long is taken for a dead connection,
   * aborted and resumed. Default (0): a little longer than the timeout of each watch, by which the
   * server ends it anyway (it sends no bookmark in between on a quiet resource).
   */
  watchdogMs?: number;
  pageSize?: number;
  /** Longest wait for one page of a list, so that a dead connection cannot hold a list forever. */
  listPageTimeoutMs?: number;
  /** Applied to every listed and watched object before it is cached and handed to handlers. */
  transform?: ObjectTransform<T>;
  backoff?: BackoffPolicy;
  logger?: Logger;
  /** Called each time the informer abandons a watch or a list and starts again (for metrics). */
  onRestart?: (reason: RestartReason) => void;
}

export type ResolvedInformerOptions<T extends KubernetesObject> = Required<
  Omit<InformerOptions<T>, 'namespace' | 'onRestart'>
> &
  Pick<InformerOptions<T>, 'namespace' | 'onRestart'>;

const WATCHDOG_GRACE_MS = 15_000;

/** The silence after which a watch of `timeoutSeconds` is taken for dead: the option, else a little longer. */
export function watchdogFor(watchdogMs: number, timeoutSeconds: number): number {
  return watchdogMs > 0 ? watchdogMs : timeoutSeconds * 1000 + WATCHDOG_GRACE_MS;
}

/** How long the server should keep one watch open: the option, or 5 to 10 minutes at random. */
export function watchTimeoutSeconds(watchSeconds: number, random: () => number = Math.random): number {
  return watchSeconds > 0 ? watchSeconds : 300 + Math.floor(random() * 300);
}

export function resolveInformerOptions<T extends KubernetesObject>(
  options: InformerOptions<T>,
): ResolvedInformerOptions<T> {
  return {
    ...options,
    resyncMs: options.resyncMs ?? 10 * 60_000,
    watchSeconds: options.watchSeconds ?? 0,
    watchdogMs: options.watchdogMs ?? 0,
    pageSize: options.pageSize ?? 500,
    listPageTimeoutMs: options.listPageTimeoutMs ?? 60_000,
    transform: options.transform ?? dropManagedFields,
    backoff: options.backoff ?? { baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.3 },
    logger: options.logger ?? silentLogger,
  };
}
