// The admission webhook program: reads its settings, follows the cluster through informers, serves
// AdmissionReviews over TLS, and stops cleanly on SIGTERM.
import { readFileSync } from 'node:fs';
import { ClusterCache, createKubeClient, loadKubeConfig } from '@gko/kube';
import {
  createLogger,
  createMetricsRegistry,
  exitWithTestParent,
  onShutdown,
  parseLogLevel,
  startOpsServer,
} from '@gko/runtime';
import { ConfigError, loadConfig } from './config.ts';
import { ClusterLookups } from './lookups/cluster-lookups.ts';
import { webhookMetrics } from './server/metrics.ts';
import { startWebhookServer } from './server/webhook-server.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${JSON.stringify({ level: 'error', component: 'webhook', msg: error.message })}\n`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger({ component: 'webhook', level: parseLogLevel(config.logLevel) });
const registry = createMetricsRegistry('gko_webhook_');
const metrics = webhookMetrics(registry);
const cache = new ClusterCache(createKubeClient(loadKubeConfig()), { namespaces: config.namespaces, logger });
cache.start();
const lookups = new ClusterLookups(
  cache,
  { contextPathScope: config.contextPathScope },
  {
    timeoutMs: config.apimTimeoutSeconds * 1000,
    maxAttempts: 2,
    insecureSkipVerify: config.insecureSkipVerify,
    ...(config.caBundleFile ? { caBundle: readFileSync(config.caBundleFile, 'utf8') } : {}),
    ...(config.proxy ? { proxy: config.proxy } : {}),
    logger,
    onAttempt: (a) =>
      metrics.apimAttempts.inc({ method: a.method, outcome: a.status ? String(a.status) : (a.error ?? 'unknown') }),
  },
);

let stopping = false;
const ready = () => !stopping && cache.isSynced;
const server = await startWebhookServer({
  port: config.port,
  host: config.host,
  tls: { certFile: config.tlsCertFile, keyFile: config.tlsKeyFile },
  lookups,
  logger,
  metrics,
  // Leave kube-apiserver time to receive the answer before its own timeout.
  deadlineMs: config.timeoutSeconds * 1000 - 1500,
  ready,
});
const ops = await startOpsServer({ port: config.metricsPort, host: config.host, registry, ready });

const shutdown = async () => {
  stopping = true;
  await server.close(10_000);
  await Promise.all([ops.close(), cache.stop(), lookups.close()]);
};
onShutdown(logger, shutdown);
exitWithTestParent(() => void shutdown().then(() => process.exit(0)));

await cache.synced();
logger.info('caches synced; ready', {
  namespaces: config.namespaces.length ? config.namespaces : 'all',
  webhookPort: server.port,
  metricsPort: ops.port,
});
