import { Counter, Histogram, type Registry } from 'prom-client';

export interface WebhookMetrics {
  /** Labelled only with registered kinds and operations: a hand-made request cannot add series. */
  requests: Counter<'kind' | 'operation' | 'mode' | 'allowed'>;
  /** Requests answered 400 or 413 before any rule ran. */
  refused: Counter<'reason'>;
  duration: Histogram<'kind' | 'mode'>;
  apimAttempts: Counter<'method' | 'outcome'>;
}

export function webhookMetrics(registry: Registry): WebhookMetrics {
  return {
    requests: new Counter({
      name: 'gko_admission_requests_total',
      help: 'Admission requests answered, by kind, operation, webhook and verdict.',
      labelNames: ['kind', 'operation', 'mode', 'allowed'],
      registers: [registry],
    }),
    refused: new Counter({
      name: 'gko_admission_refused_requests_total',
      help: 'Requests refused before any rule ran: body_too_large (413), not_json, not_admission_review, wrong_kind (400).',
      labelNames: ['reason'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'gko_admission_duration_seconds',
      help: 'Time to answer an admission request.',
      labelNames: ['kind', 'mode'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    apimAttempts: new Counter({
      name: 'gko_apim_requests_total',
      help: 'Calls to APIM, by method and outcome (status code, network or timeout).',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
  };
}
