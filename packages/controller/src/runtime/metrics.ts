// What the controllers expose to Prometheus: reconciles (count, errors, duration) and work queues
// (depth, wait, retries) by kind, leadership, and the health of the caches.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface ControllerMetrics {
  reconciles: Counter<'kind' | 'result'>;
  reconcileErrors: Counter<'kind' | 'reason'>;
  reconcileDuration: Histogram<'kind'>;
  queueDepth: Gauge<'kind'>;
  queueWait: Histogram<'kind'>;
  queueRetries: Counter<'kind'>;
  leader: Gauge;
  cacheNotSynced: Gauge<'resource' | 'namespace'>;
  driftDetected: Counter<'kind'>;
}

export function controllerMetrics(registry: Registry): ControllerMetrics {
  const registers = [registry];
  return {
    reconciles: new Counter({
      name: 'gko_controller_reconciles_total',
      help: 'Reconciles, by kind and result (success, requeue, error, terminal_error).',
      labelNames: ['kind', 'result'],
      registers,
    }),
    reconcileErrors: new Counter({
      name: 'gko_controller_reconcile_errors_total',
      help: 'Failed reconciles, by kind and reason.',
      labelNames: ['kind', 'reason'],
      registers,
    }),
    reconcileDuration: new Histogram({
      name: 'gko_controller_reconcile_duration_seconds',
      help: 'Time spent in one reconcile, by kind.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'gko_controller_workqueue_depth',
      help: 'Keys waiting in the work queue, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    queueWait: new Histogram({
      name: 'gko_controller_workqueue_wait_seconds',
      help: 'Time a key waited in the work queue before being reconciled, by kind.',
      labelNames: ['kind'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
      registers,
    }),
    queueRetries: new Counter({
      name: 'gko_controller_workqueue_retries_total',
      help: 'Keys put back in the work queue with backoff after a failure, by kind.',
      labelNames: ['kind'],
      registers,
    }),
    leader: new Gauge({
      name: 'gko_controller_leader',
      help: '1 while this process holds the leader lease (and reconciles), 0 otherwise.',
      registers,
    }),
    cacheNotSynced: new Gauge({
      name: 'gko_controller_cache_not_synced',
      help: '1 for each resource (and namespace) whose first list has not succeeded past the cache sync timeout.',
      labelNames: ['resource', 'namespace'],
      registers,
    }),
    driftDetected: new Counter({
      name: 'gko_drift_detected_total',
      help: 'Differences found between APIM and the cluster and reported, not repaired (gravitee.io/drift: report), by kind.',
      labelNames: ['kind'],
      registers,
    }),
  };
}
