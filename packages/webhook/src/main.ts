// The admission webhook program on its own: reads its settings, follows the cluster through
// informers, serves AdmissionReviews over TLS, and stops cleanly on SIGTERM. (The operator program
// runs the same webhook next to the controllers.)
import { ClusterCache, GRAVITEE_RESOURCES, loadKubeConnection } from '@gko/kube';
import {
  createLogger,
  cacheReady,
  createMetricsRegistry,
  exitWithTestParent,
  onShutdown,
  parseLogLevel,
  registerCacheMetrics,
  startOpsServer,
} from '@gko/runtime';
import { ConfigError, loadConfig } from './config.ts';
import { runWebhook } from './program.ts';

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
const registry = createMetricsRegistry('gko_');
const connection = await loadKubeConnection();
// Our kinds only: Secrets and ConfigMaps are read when a request needs them, never kept.
const cache = new ClusterCache(connection, { namespaces: config.namespaces, logger, resources: GRAVITEE_RESOURCES });

let stopping = false;
registerCacheMetrics(registry, cache);
// Not ready while a watch has been failing for a minute: answers would come from a stale cache.
const ready = () => !stopping && cacheReady(cache);
const server = await runWebhook({ config, cache, connection, registry, logger, ready });
// Started once the webhook installed the indexes its rules read.
cache.start();
const ops = await startOpsServer({ port: config.metricsPort, host: config.host, registry, ready });

const shutdown = async () => {
  // Not ready from now on; the server goes on answering while endpoints are removed (see close).
  stopping = true;
  await server.close(10_000);
  await Promise.all([ops.close(), cache.stop()]);
};
onShutdown(logger, shutdown);
exitWithTestParent(() => void shutdown().then(() => process.exit(0)));

await cache.synced();
logger.info('caches synced; ready', {
  namespaces: config.namespaces.length ? config.namespaces : 'all',
  webhookPort: server.port,
  metricsPort: ops.port,
});
