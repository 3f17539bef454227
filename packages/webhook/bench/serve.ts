// The webhook server alone, without a cluster (empty lookups): what the benchmark measures.
// Prints one JSON line with its port once listening.
import { createMetricsRegistry, exitWithTestParent, silentLogger } from '@gko/runtime';
import { MemoryLookups } from '../src/lookups/memory-lookups.ts';
import { webhookMetrics } from '../src/server/metrics.ts';
import { startWebhookServer } from '../src/server/webhook-server.ts';

const [certFile, keyFile] = process.argv.slice(2) as [string, string];
const server = await startWebhookServer({
  port: 0,
  host: '127.0.0.1',
  tls: { certFile, keyFile },
  lookups: new MemoryLookups(),
  logger: silentLogger,
  metrics: webhookMetrics(createMetricsRegistry('bench_')),
  deadlineMs: 8500,
  ready: () => true,
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
exitWithTestParent(() => void server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
