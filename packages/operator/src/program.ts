// The operator program: one cache of the cluster shared by whatever runs (the controllers, the
// admission webhook, or both), metrics and probes, and a graceful stop: the webhook keeps answering
// while the reconciles in flight finish, then the leader lease is released so that another replica
// takes over at once.
import { readFileSync } from 'node:fs';
import { Manager, registerReconcilers } from '@gko/controller';
import {
  ClusterCache,
  createEventRecorder,
  CONFIG_MAPS,
  GRAVITEE_RESOURCES,
  INGRESSES,
  loadKubeConnection,
  SECRETS,
  type KubeConnection,
} from '@gko/kube';
import { ApimClientPool } from '@gko/mapi';
import {
  cacheReady,
  createMetricsRegistry,
  registerCacheMetrics,
  startOpsServer,
  type Logger,
  type OpsServer,
} from '@gko/runtime';
import { Counter, Histogram } from 'prom-client';
import { loadWebhookConfig, runWebhook, type RunningWebhookServer } from '@gko/webhook';
import type { OperatorConfig } from './config.ts';
import { grantedData } from '@gko/kube';
import { applyCrds } from './startup/apply-crds.ts';

export interface RunningOperator {
  ready(): boolean;
  stop(): Promise<void>;
  readonly ports: { metrics?: number; probes?: number; webhook?: number };
}

export async function startOperator(
  config: OperatorConfig,
  env: Record<string, string | undefined>,
  logger: Logger,
  onLostLeadership: () => void,
  given?: KubeConnection,
): Promise<RunningOperator> {
  const connection = given ?? (await loadKubeConnection());
  // Before anything lists our kinds: an upgrade may bring new fields or kinds.
  if (config.applyCrds) await applyCrds(connection, logger.child({ component: 'crds' }));
  const registry = createMetricsRegistry('gko_');
  const cache = new ClusterCache(connection, {
    namespaces: config.namespaces,
    // The webhook alone reads Secrets and ConfigMaps one by one, when a request names them: it
    // neither lists nor caches them (and its role may not). Ingresses are followed only by the
    // Ingress controller.
    resources: config.controllers
      ? [...GRAVITEE_RESOURCES, SECRETS, CONFIG_MAPS, ...(config.ingress ? [INGRESSES] : [])]
      : GRAVITEE_RESOURCES,
    resyncMs: config.resyncPeriodMs,
    logger: logger.child({ component: 'cache' }),
  });
  registerCacheMetrics(registry, cache);
  let manager: Manager | undefined;
  let pool: ApimClientPool | undefined;
  if (config.controllers) {
    const apimCalls = new Counter({
      name: 'gko_controller_apim_requests_total',
      help: 'Calls of the controllers to APIM, by method and outcome (status code, network or timeout).',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    });
    const apimLatency = new Histogram({
      name: 'gko_controller_apim_request_duration_seconds',
      help: 'Duration of the calls of the controllers to APIM, by method.',
      labelNames: ['method'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    pool = new ApimClientPool(
      {
        timeoutMs: config.apim.timeoutMs,
        maxConcurrency: config.apim.maxConcurrency,
        insecureSkipVerify: config.apim.insecureSkipVerify,
        ...(config.apim.caBundleFile ? { caBundle: readFileSync(config.apim.caBundleFile, 'utf8') } : {}),
        ...(config.apim.proxy ? { proxy: config.apim.proxy } : {}),
        logger: logger.child({ component: 'apim' }),
        onAttempt: (a) => {
          apimCalls.inc({ method: a.method, outcome: a.status ? String(a.status) : (a.error ?? 'unknown') });
          apimLatency.observe({ method: a.method }, a.durationMs / 1000);
        },
      },
      (namespace, name, from) => grantedData(cache.get('Secret', namespace, name), namespace, from),
    );
    manager = new Manager({
      connection,
      cache,
      logger: logger.child({ component: 'controller' }),
      registry,
      settings: { templating: config.templating, driftPeriodMs: config.driftPeriodMs },
      apim: pool,
      events: createEventRecorder(connection, {
        controller: 'gravitee.io/operator',
        instance: config.leaderElection?.identity ?? 'operator',
        logger,
      }),
      concurrency: config.maxConcurrentReconciles,
      concurrencyByKind: config.concurrencyByKind,
      cacheSyncTimeoutMs: config.cacheSyncTimeoutMs,
      ...(config.leaderElection ? { leaderElection: config.leaderElection } : {}),
      onLostLeadership,
    });
    registerReconcilers(manager, config.ingress ? { ingress: config.ingress } : {});
    manager.start();
  }

  let stopping = false;
  const ready = () => !stopping && (manager ? manager.ready() : cacheReady(cache));
  const healthy = () => manager?.healthy() ?? true;

  let webhook: RunningWebhookServer | undefined;
  if (config.webhook) {
    const webhookConfig = loadWebhookConfig(env);
    webhook = await runWebhook({
      config: webhookConfig,
      cache,
      connection,
      registry,
      logger: logger.child({ component: 'webhook' }),
      ready,
    });
  }
  cache.start();

  // As upstream, METRICS_PORT=0 turns the metrics server off (the probes port still answers).
  const metricsServer =
    config.metricsPort > 0
      ? await startOpsServer({ port: config.metricsPort, host: config.host, registry, ready, healthy })
      : undefined;
  const probesServer =
    config.probesPort !== config.metricsPort
      ? await startOpsServer({ port: config.probesPort, host: config.host, registry, ready, healthy })
      : metricsServer;
  const ops = [...new Set([metricsServer, probesServer])].filter((o): o is OpsServer => !!o);

  return {
    ready,
    ports: { metrics: metricsServer?.port, probes: probesServer?.port, webhook: webhook?.port },
    async stop() {
      stopping = true;
      // The webhook keeps answering while the controllers finish what they are doing.
      await Promise.all([manager?.stop(config.shutdownGraceMs), webhook?.close(config.shutdownGraceMs)]);
      await Promise.all([cache.stop(), pool?.close(), ...ops.map((o) => o.close())]);
      // A connection given is its giver's to close.
      if (!given) await connection.close();
    },
  };
}
