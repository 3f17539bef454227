// One controller per kind: a work queue of "namespace/name" keys fed by informer events, and a bounded
// number of workers that run the kind's reconciler on them and turn its outcome into the next step
// for the key (forget, come back later, retry with backoff). A key is never reconciled by two workers
// at once: the queue hands each key to one worker until it is done. Each reconcile runs under the
// controller's abort signal: when the controller stops (shutdown, leadership lost), the calls still
// waiting are cancelled, to APIM and to the API server alike. A cancelled call may still be carried
// out by the server that had received it: whoever stops a controller that had to cancel work must
// not let another process take over before that work is surely over (see stop()).
import { randomUUID } from 'node:crypto';
import { WorkQueue } from '@gko/kube';
import { withWorkSignal, type Logger } from '@gko/runtime';
import { parseKey, type ReconcileContext, type Reconciler } from '../reconcile/contract.ts';
import { DEFAULT_RETRY_POLICY, type Outcome, type RetryPolicy } from '../reconcile/result.ts';
import type { ControllerMetrics } from './metrics.ts';

export interface ControllerOptions {
  kind: string;
  reconcile: Reconciler;
  /** Workers (MAX_CONCURRENT_RECONCILES). */
  concurrency: number;
  /** The context of one reconcile: logger bound to the object, and whether to compare with APIM. */
  contextFor: (kind: string, key: string, reconcileId: string, verifyRemote: boolean) => ReconcileContext;
  logger: Logger;
  metrics: ControllerMetrics;
  retry?: RetryPolicy;
  /** A reconcile running longer than this is logged (every call it makes has its own deadline). */
  slowAfterMs?: number;
}

export class Controller {
  readonly kind: string;
  private readonly options: ControllerOptions;
  private readonly queue: WorkQueue;
  /** Keys asked to be compared with APIM on their next reconcile (drift repair). */
  private readonly verify = new Set<string>();
  private workers: Promise<void>[] = [];
  private running = false;
  private abandon = new AbortController();
  /** Reconciles in flight, for tests and for the check that no key runs twice at once. */
  private readonly active = new Set<string>();

  constructor(options: ControllerOptions) {
    this.kind = options.kind;
    this.options = options;
    const labels = { kind: options.kind };
    // Present from the start at 0: a first drift is then an increase that alerts can see.
    options.metrics.driftDetected.inc(labels, 0);
    this.queue = new WorkQueue({
      backoff: options.retry ?? DEFAULT_RETRY_POLICY,
      onDepth: (depth) => options.metrics.queueDepth.set(labels, depth),
      onWait: (ms) => options.metrics.queueWait.observe(labels, ms / 1000),
      onRetry: () => options.metrics.queueRetries.inc(labels),
      // Namespaces take turns: one team's burst does not hold up another's change.
      groupOf: (key) => key.slice(0, key.indexOf('/')),
    });
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Queues the key for a reconcile that also compares with the copy outside the cluster. */
  requestVerify(key: string): void {
    this.verify.add(key);
    this.queue.add(key);
  }

  get isRunning(): boolean {
    return this.running;
  }

  get depth(): number {
    return this.queue.length;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.abandon.signal.aborted) this.abandon = new AbortController();
    this.workers = Array.from({ length: Math.max(1, this.options.concurrency) }, () => this.work());
  }

  /**
   * Stops taking keys and lets the reconciles in flight finish within `graceMs`; those still running
   * then are abandoned (their calls cancelled) and given `abandonMs` to unwind. Resolves to whether
   * every reconcile finished by itself: only then may another process take over at once (a cancelled
   * write may still land, so after an abandonment the successor waits for the Lease to expire).
   */
  async stop(graceMs = 20_000, abandonMs = 5_000): Promise<boolean> {
    this.running = false;
    this.queue.shutDown();
    await this.queue.drain(graceMs);
    if (this.active.size === 0) return true;
    this.options.logger.warn('abandoning the reconciles still running', {
      kind: this.kind,
      keys: [...this.active].slice(0, 20),
    });
    this.abandon.abort(new Error(`the ${this.kind} controller stopped`));
    await this.queue.drain(abandonMs);
    return false;
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (!this.running) {
        // Shutting down: leave the key for whoever leads next.
        this.queue.done(key);
        continue;
      }
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const { kind, metrics, logger } = this.options;
    const reconcileId = randomUUID().slice(0, 8);
    const verifyRemote = this.verify.delete(key);
    const context = this.options.contextFor(kind, key, reconcileId, verifyRemote);
    const started = performance.now();
    const slow = setTimeout(
      () => context.logger.warn('reconcile is slow', { afterMs: Math.round(performance.now() - started) }),
      this.options.slowAfterMs ?? 30_000,
    );
    slow.unref();
    if (this.active.has(key)) logger.error('a key is reconciled twice at once', { kind, key });
    this.active.add(key);
    let outcome: Outcome;
    try {
      outcome = await withWorkSignal(this.abandon.signal, () => this.options.reconcile(parseKey(key), context));
    } catch (error) {
      // What a reconciler did not turn into an outcome itself (a write refused, a permission missing).
      context.logger.warn('reconcile failed', { error });
      outcome = { kind: 'failed', error: error instanceof Error ? error : new Error(String(error)), terminal: false };
    } finally {
      clearTimeout(slow);
      this.active.delete(key);
    }
    metrics.reconcileDuration.observe({ kind }, (performance.now() - started) / 1000);
    switch (outcome.kind) {
      case 'done':
        metrics.reconciles.inc({ kind, result: 'success' });
        if (outcome.driftDetected) metrics.driftDetected.inc({ kind });
        this.queue.forget(key);
        if (outcome.resyncAfterMs !== undefined) this.queue.addAfter(key, outcome.resyncAfterMs);
        break;
      case 'requeue':
        metrics.reconciles.inc({ kind, result: 'requeue' });
        this.queue.forget(key);
        this.queue.addAfter(key, outcome.afterMs);
        break;
      case 'failed': {
        metrics.reconciles.inc({ kind, result: outcome.terminal ? 'terminal_error' : 'error' });
        metrics.reconcileErrors.inc({ kind, reason: outcome.error.name });
        if (outcome.terminal) this.queue.forget(key);
        else {
          const delayMs = this.queue.addRateLimited(key, outcome.retry);
          context.logger.debug('retrying', { delayMs, failures: this.queue.numRequeues(key) });
        }
        break;
      }
    }
    this.queue.done(key);
  }
}
