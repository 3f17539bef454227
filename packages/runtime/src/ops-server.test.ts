import { afterEach, describe, expect, it } from 'vitest';
import { Counter } from 'prom-client';
import {
  cacheReady,
  createMetricsRegistry,
  registerCacheMetrics,
  startOpsServer,
  type OpsServer,
} from './ops-server.ts';

let server: OpsServer | undefined;
afterEach(async () => server?.close());

describe('the ops server', () => {
  it('answers liveness by default, readiness as told, and metrics in Prometheus text', async () => {
    const registry = createMetricsRegistry('test_');
    new Counter({ name: 'test_things_total', help: 'Things.', registers: [registry] }).inc(3);
    let ready = false;
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry, ready: () => ready });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('test_things_total 3');
    expect(metrics).toContain('test_process_cpu_seconds_total');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('answers liveness as told when given a health check', async () => {
    let healthy = true;
    const registry = createMetricsRegistry('test_');
    server = await startOpsServer({ port: 0, host: '127.0.0.1', registry, ready: () => true, healthy: () => healthy });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    healthy = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('follows the health of a cache: ready once filled, not while a watch has been failing for long, and says so', async () => {
    const cache = { isSynced: false, failing: 0, failingForMs: () => cache.failing };
    expect(cacheReady(cache)).toBe(false);
    cache.isSynced = true;
    expect(cacheReady(cache)).toBe(true);
    cache.failing = 61_000;
    expect(cacheReady(cache)).toBe(false);
    const registry = createMetricsRegistry('gko_');
    registerCacheMetrics(registry, cache);
    const text = await registry.metrics();
    expect(text).toContain('gko_cache_synced 1');
    expect(text).toContain('gko_cache_watch_failing_seconds 61');
  });
});
