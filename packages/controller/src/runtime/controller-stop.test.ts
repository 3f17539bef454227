// Stopping a controller while a reconcile waits on the API server: the call is cancelled, nothing
// lands after stop() says the controller is idle, and a reconcile that cannot be cancelled is reported.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { apiRequest, connectionFor, type KubeConnection } from '@gko/kube';
import { silentLogger } from '@gko/runtime';
import type { ReconcileContext, Reconciler } from '../reconcile/contract.ts';
import { Controller } from './controller.ts';
import { controllerMetrics } from './metrics.ts';

let server: Server;
let connection: KubeConnection;
const received: string[] = [];

beforeAll(async () => {
  // Takes each request and never answers: a write stuck on its way.
  server = createServer((request) => received.push(`${request.method} ${request.url}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  connection = connectionFor({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
afterAll(async () => {
  server.closeAllConnections();
  await connection.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function controllerOf(reconcile: Reconciler): Controller {
  return new Controller({
    kind: 'ApiV4Definition',
    reconcile,
    concurrency: 1,
    contextFor: () => ({ logger: silentLogger }) as unknown as ReconcileContext,
    logger: silentLogger,
    metrics: controllerMetrics(new Registry()),
  });
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('a controller stopping while a reconcile runs', () => {
  it('resolves true when every reconcile finished within the grace period', async () => {
    let finished = false;
    const controller = controllerOf(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
      return { kind: 'done' };
    });
    controller.start();
    controller.enqueue('team/orders');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await controller.stop(1_000)).toBe(true);
    expect(finished).toBe(true);
  });

  it('cancels the calls of the reconcile after the grace period, and says it had to', async () => {
    let settled: string | undefined;
    const controller = controllerOf(async () => {
      try {
        await apiRequest(connection, { method: 'PUT', path: '/apis/x/status', body: {}, timeoutMs: 60_000 });
        settled = 'written';
      } catch (error) {
        settled = (error as Error).message;
      }
      return { kind: 'done' };
    });
    controller.start();
    controller.enqueue('team/orders');
    await until(() => received.length > 0);
    const started = performance.now();
    // Cancelled, and said so: a cancelled write may still land, the Lease must not go at once.
    expect(await controller.stop(100)).toBe(false);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(settled).toBe('the ApiV4Definition controller stopped');
  });

  it('says so when a reconcile does not end once abandoned, so that the lease is not handed over', async () => {
    let release!: () => void;
    const controller = controllerOf(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { kind: 'done' };
    });
    controller.start();
    controller.enqueue('team/orders');
    await until(() => release !== undefined);
    expect(await controller.stop(20, 50)).toBe(false);
    release();
  });
});
