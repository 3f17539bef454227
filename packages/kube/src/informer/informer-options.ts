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
  /** Seconds after which the server ends each watch (the informer then resumes it). */
  watchSeconds?: number;
  /**
   * A watch that receives nothing (no event, no bookmark) for this long is taken for a dead connection,
   * aborted and resumed. Default: a little longer than `watchSeconds`, by which the server ends it anyway.
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

export function resolveInformerOptions<T extends KubernetesObject>(
  options: InformerOptions<T>,
): ResolvedInformerOptions<T> {
  const watchSeconds = options.watchSeconds ?? 25;
  return {
    ...options,
    resyncMs: options.resyncMs ?? 10 * 60_000,
    watchSeconds,
    watchdogMs: options.watchdogMs ?? watchSeconds * 1000 + WATCHDOG_GRACE_MS,
    pageSize: options.pageSize ?? 500,
    listPageTimeoutMs: options.listPageTimeoutMs ?? 60_000,
    transform: options.transform ?? dropManagedFields,
    backoff: options.backoff ?? { baseDelayMs: 500, maxDelayMs: 30_000, jitter: 0.3 },
    logger: options.logger ?? silentLogger,
  };
}
