// The webhook server alone, without a cluster (lookups in memory, empty or holding N APIs): what the
// benchmark measures.
// Prints one JSON line with its port once listening.
import { createMetricsRegistry, exitWithTestParent, silentLogger } from '@gko/runtime';
import { MemoryLookups } from '../src/lookups/memory-lookups.ts';
import { webhookMetrics } from '../src/server/metrics.ts';
import { startWebhookServer } from '../src/server/webhook-server.ts';

const [certFile, keyFile, apiCount = '0'] = process.argv.slice(2) as [string, string, string?];
// APIs already in the namespace of the one admitted, each on a path of its own.
const lookups = new MemoryLookups();
for (let i = 0; i < Number(apiCount); i++) {
  lookups.put({
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiV4Definition',
    metadata: { name: `existing-${i}`, namespace: 'bench' },
    spec: {
      name: `existing-${i}`,
      version: '1',
      type: 'PROXY',
      definitionContext: { syncFrom: 'KUBERNETES' },
      listeners: [{ type: 'HTTP', paths: [{ path: `/existing-${i}` }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
      plans: { free: { name: 'Free', security: { type: 'KEY_LESS' } } },
    },
  });
}
const server = await startWebhookServer({
  port: 0,
  host: '127.0.0.1',
  tls: { certFile, keyFile },
  lookups,
  logger: silentLogger,
  metrics: webhookMetrics(createMetricsRegistry('bench_')),
  deadlineMs: 8500,
  ready: () => true,
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
exitWithTestParent(() => void server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
