// Self-managed webhook certificates, without cert-manager: the webhook fills the empty Secret with a
// CA and a serving certificate, injects the CA into its configurations, and renews the serving
// certificate while admission goes on. A second replica adopts what the first wrote. (The same mode
// in pods, behind a Service, is proven by the Helm suites.)
import { X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apply, createNamespace, installCrds, kubectlOk, startWebhook, type RunningWebhook } from '../../src/index.ts';
import { caBundles, decodedSecret, servedCertificate } from '../../src/webhook-certificates.ts';
import { api, context } from './fixtures.ts';

const cluster = inject('controlPlane');
const VALIDITY_SECONDS = 60;
let first: RunningWebhook;
let second: RunningWebhook | undefined;
let ns = '';
const secretName = 'webhook-cert';
const configurationName = `gko-e2e-self-managed-${Date.now().toString(36)}`;

const servedFingerprint = (port: number) => servedCertificate(port, 'localhost');
const secret = () => decodedSecret(cluster, ns, secretName);
const secretData = async () => (await secret()).data;

beforeAll(async () => {
  await installCrds(cluster);
  ns = await createNamespace(cluster, 'self-managed', {});
  first = await startWebhook(cluster, {
    selfManagedCertificate: { namespace: ns, secretName, configurationName, validitySeconds: VALIDITY_SECONDS },
  });
  await kubectlOk(cluster, ['label', 'namespace', ns, ...Object.entries(first.labels).map(([k, v]) => `${k}=${v}`)]);
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

describe('self-managed webhook certificates', () => {
  it('fill the empty Secret, and the CA reaches both configurations', async () => {
    const data = await secretData();
    expect(Object.keys(data).sort()).toEqual(['ca', 'ca.key', 'cert', 'key']);
    const serving = new X509Certificate(data['cert']!);
    expect(serving.subjectAltName).toContain('DNS:localhost');
    expect(serving.checkIssued(new X509Certificate(data['ca']!))).toBe(true);
    const bundles = await caBundles(cluster, { validating: configurationName, mutating: configurationName });
    expect(bundles.length).toBeGreaterThan(2);
    expect(new Set(bundles)).toEqual(new Set([data['ca']]));
    expect(await servedFingerprint(first.port)).toBe(serving.fingerprint256);
  });

  it('admit and deny through the API server with that certificate', async () => {
    const denied = await apply(cluster, ns, api('lost', { contextRef: { name: 'ghost' } }));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('ghost does not exist');
    const admitted = await apply(cluster, ns, context('apim', 'http://127.0.0.1:9'));
    expect(admitted.code).toBe(0);
  });

  it('are adopted by a second replica, which writes nothing', async () => {
    const before = await secret();
    second = await startWebhook(cluster, {
      selfManagedCertificate: { namespace: ns, secretName, configurationName, validitySeconds: VALIDITY_SECONDS },
    });
    expect(await servedFingerprint(second.port)).toBe(await servedFingerprint(first.port));
    const after = await secret();
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('are renewed under the same CA while applies go on, without one failed admission', async () => {
    const initial = await secretData();
    const initialServed = await servedFingerprint(first.port);
    const failures: string[] = [];
    let applies = 0;
    let renewed = false;
    // Renewal comes when a third of the validity is left; the loop stops soon after both serve it.
    const deadline = Date.now() + VALIDITY_SECONDS * 1000;
    while (Date.now() < deadline) {
      const result = await apply(cluster, ns, api('orders', { contextRef: { name: 'apim' } }), { dryRun: true });
      applies++;
      if (result.code !== 0) failures.push(result.stderr);
      if (!renewed && (await servedFingerprint(first.port)) !== initialServed) renewed = true;
      if (renewed && (await servedFingerprint(second!.port)) === (await servedFingerprint(first.port))) break;
      await sleep(200);
    }
    expect(renewed).toBe(true);
    expect(failures).toEqual([]);
    expect(applies).toBeGreaterThan(20);
    const data = await secretData();
    expect(data['ca']).toBe(initial['ca']);
    expect(data['cert']).not.toBe(initial['cert']);
    expect(await servedFingerprint(second!.port)).toBe(new X509Certificate(data['cert']!).fingerprint256);
  });
});
