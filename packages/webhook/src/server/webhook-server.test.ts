import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { createCertificateAuthority, type CertificateAuthority } from '@gko/kube/pki';
import { createMetricsRegistry, silentLogger } from '@gko/runtime';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { webhookMetrics } from './metrics.ts';
import { startWebhookServer, type WebhookServer } from './webhook-server.ts';

/** What the tests read from a reply: an AdmissionReview, or the error of a 4xx. */
interface Review {
  error?: string;
  response?: { uid: string; allowed: boolean; status?: { code?: number; message?: string }; warnings?: string[] };
}

let ca: CertificateAuthority;
let dir: string;
let server: WebhookServer;
let simulator: Simulator;
const registry = createMetricsRegistry('t_');

function post(
  path: string,
  body: string,
  caPem = ca.certPem,
): Promise<{ status: number; json: Review; peerSerial: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: 'POST',
        ca: caPem,
        headers: { 'content-type': 'application/json' },
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: (text ? JSON.parse(text) : undefined) as Review,
            peerSerial: (res.socket as TLSSocket).getPeerCertificate().serialNumber,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function writePair() {
  const pair = await ca.issue({ commonName: 'webhook', ipAddresses: ['127.0.0.1'], usage: 'server', validityDays: 1 });
  // As a Secret volume does: new files, then an atomic swap.
  await writeFile(join(dir, 'tls.crt.new'), pair.certPem);
  await writeFile(join(dir, 'tls.key.new'), pair.keyPem);
  await rename(join(dir, 'tls.key.new'), join(dir, 'tls.key'));
  await rename(join(dir, 'tls.crt.new'), join(dir, 'tls.crt'));
}

const review = (kind: string, object: unknown) =>
  JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: 'u-1',
      kind: { group: 'gravitee.io', version: 'v1alpha1', kind },
      operation: 'CREATE',
      name: 'n',
      namespace: 'team-a',
      object,
    },
  });

beforeAll(async () => {
  ca = await createCertificateAuthority({ commonName: 'webhook-ca', validityDays: 1 });
  dir = await mkdtemp(join(tmpdir(), 'webhook-tls-'));
  await writePair();
  simulator = await startSimulator();
  const apim = {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ManagementContext',
    metadata: { name: 'apim', namespace: 'team-a' },
    spec: {
      baseUrl: simulator.url,
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      auth: { credentials: { username: 'admin', password: 'admin' } },
    },
  };
  const lookups = new MemoryLookups({ objects: [apim] });
  server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
    lookups,
    logger: silentLogger,
    metrics: webhookMetrics(registry),
    deadlineMs: 300,
    ready: () => true,
  });
});
afterAll(async () => {
  await server.close();
  await simulator.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the webhook server', () => {
  it('answers an AdmissionReview for a kind, echoing the uid', async () => {
    const group = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'n', namespace: 'team-a' },
      spec: { name: 'Ops', members: [] },
    };
    const { status, json } = await post('/validate-gravitee-io-v1alpha1-group', review('Group', group));
    expect(status).toBe(200);
    expect(json).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-1', allowed: true },
    });
  });

  it('refuses bodies over the size limit with 413', async () => {
    expect((await post('/validate-gravitee-io-v1alpha1-group', `"${'x'.repeat(9 * 1024 * 1024)}"`)).status).toBe(413);
  });

  it('answers 400 to what is not an AdmissionReview, and 404 where no webhook is', async () => {
    expect(await post('/validate-gravitee-io-v1alpha1-group', '{"hello":')).toMatchObject({
      status: 400,
      json: { error: 'the body is not JSON' },
    });
    expect(await post('/validate-gravitee-io-v1alpha1-group', '{"kind":"AdmissionReview"}')).toMatchObject({
      status: 400,
    });
    expect((await post('/validate-gravitee-io-v1alpha1-group', '[]')).json.error).toContain(
      'not a valid AdmissionReview',
    );
    expect((await post('/mutate-gravitee-io-v1alpha1-group', review('Group', {}))).status).toBe(404);
  });

  it('answers only for the kind of its path, and counts what it refuses, with bounded labels', async () => {
    const mismatch = await post('/validate-gravitee-io-v1alpha1-group', review('Application', { metadata: {} }));
    expect(mismatch).toMatchObject({ status: 400, json: { error: 'this path only takes Group of gravitee.io' } });
    const invented = await post('/validate-gravitee-io-v1alpha1-group', review(`Kind${Date.now()}`, { metadata: {} }));
    expect(invented.status).toBe(400);
    const text = await registry.metrics();
    expect(text).toMatch(/gko_admission_refused_requests_total\{reason="wrong_kind"\} 2/);
    expect(text).toMatch(/gko_admission_refused_requests_total\{reason="body_too_large"\} 1/);
    expect(text).not.toContain('Kind1');
  });

  it('admits with a warning, inside the deadline, when APIM does not answer in time', async () => {
    simulator.setFaults({ latencyMs: 1500 });
    const group = {
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'n', namespace: 'team-a' },
      spec: { contextRef: { name: 'apim' }, name: 'Ops', members: [] },
    };
    const started = Date.now();
    const { json } = await post('/validate-gravitee-io-v1alpha1-group', review('Group', group));
    simulator.clearFaults();
    expect(Date.now() - started).toBeLessThan(300);
    expect(json.response).toMatchObject({ uid: 'u-1', allowed: true });
    expect(json.response?.warnings?.join(' ')).toContain('timeout');
  });

  it('goes on answering while it drains, then stops', async () => {
    const draining = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
      lookups: new MemoryLookups(),
      logger: silentLogger,
      metrics: webhookMetrics(createMetricsRegistry('d_')),
      deadlineMs: 300,
      ready: () => true,
    });
    const serving = server;
    server = draining;
    try {
      const closed = draining.close(1_000, 400);
      await sleep(200);
      const group = { metadata: { name: 'n', namespace: 'team-a' }, spec: { name: 'Ops', members: [] } };
      expect((await post('/validate-gravitee-io-v1alpha1-group', review('Group', group))).status).toBe(200);
      await closed;
      await expect(post('/validate-gravitee-io-v1alpha1-group', review('Group', group))).rejects.toThrow();
    } finally {
      server = serving;
    }
  });

  it('answers only callers with a client certificate of the client CA, when given one', async () => {
    await writeFile(join(dir, 'client-ca.crt'), ca.certPem);
    const guarded = await startWebhookServer({
      port: 0,
      host: '127.0.0.1',
      tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') },
      clientCaFile: join(dir, 'client-ca.crt'),
      lookups: new MemoryLookups(),
      logger: silentLogger,
      metrics: webhookMetrics(createMetricsRegistry('c_')),
      deadlineMs: 300,
      ready: () => true,
    });
    const apiserver = await ca.issue({ commonName: 'kube-apiserver', usage: 'client', validityDays: 1 });
    const call = (client?: { cert: string; key: string }) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: guarded.port,
            path: '/healthz',
            ca: ca.certPem,
            agent: false,
            ...(client ? { cert: client.cert, key: client.key } : {}),
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      await expect(call()).rejects.toThrow();
      expect(await call({ cert: apiserver.certPem, key: apiserver.keyPem })).toBe(200);
      // A renewed serving certificate keeps the client check (a reload rebuilds the TLS context).
      const before = (await post('/healthz-missing', '{}')).peerSerial;
      await writePair();
      for (let i = 0; i < 50 && (await post('/healthz-missing', '{}')).peerSerial === before; i++) await sleep(100);
      await sleep(300);
      await expect(call()).rejects.toThrow();
      expect(await call({ cert: apiserver.certPem, key: apiserver.keyPem })).toBe(200);
    } finally {
      await guarded.close(100);
    }
  });

  it('serves a renewed certificate without a restart', async () => {
    const before = (await post('/healthz-missing', '{}')).peerSerial;
    await writePair();
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await sleep(100);
      after = (await post('/healthz-missing', '{}')).peerSerial;
    }
    expect(after).not.toBe(before);
  });
});
