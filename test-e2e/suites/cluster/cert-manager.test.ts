// cert-manager, built from source and run beside the test control plane, does what the operator's
// chart relies on: a CA made by a self-signed issuer signs a leaf certificate into a Secret, and the
// cainjector copies that CA into a webhook configuration that asks for it.
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCertManager, type RunningCertManager } from '../../src/cert-manager.ts';
import { kubectl, kubectlOk } from '../../src/kubectl.ts';
import { createNamespace, deleteNamespace } from '../../src/resources.ts';
import { retryUntil } from '../../src/webhook.ts';

const cluster = inject('controlPlane');
const webhookName = `cert-manager-e2e-${Date.now().toString(36)}`;

let certManager: RunningCertManager | undefined;
let namespace = '';

beforeAll(async () => {
  certManager = await startCertManager(cluster);
  namespace = await createNamespace(cluster, 'cert-manager');
});

afterAll(async () => {
  await kubectl(cluster, ['delete', 'validatingwebhookconfiguration', webhookName, '--ignore-not-found']);
  if (namespace) await deleteNamespace(cluster, namespace);
  await certManager?.stop();
});

async function applyObjects(objects: Record<string, unknown>[]): Promise<void> {
  await kubectlOk(cluster, ['apply', '-n', namespace, '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }),
  });
}

async function secretData(name: string): Promise<Record<string, string>> {
  const secret = JSON.parse(await kubectlOk(cluster, ['get', 'secret', name, '-n', namespace, '-o', 'json'])) as {
    data: Record<string, string>;
  };
  return Object.fromEntries(
    Object.entries(secret.data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
  );
}

const issuer = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Issuer',
  metadata: { name },
  spec,
});

const certificate = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: { name },
  spec: { secretName: name, privateKey: { algorithm: 'ECDSA', size: 256 }, ...spec },
});

describe('cert-manager', () => {
  it('issues a leaf certificate from a CA that a self-signed issuer made', async () => {
    await applyObjects([
      issuer('self-signed', { selfSigned: {} }),
      certificate('e2e-ca', {
        isCA: true,
        commonName: 'gko e2e CA',
        issuerRef: { name: 'self-signed', kind: 'Issuer' },
      }),
      issuer('e2e-ca', { ca: { secretName: 'e2e-ca' } }),
      certificate('leaf', { dnsNames: ['webhook.gko.test'], issuerRef: { name: 'e2e-ca', kind: 'Issuer' } }),
    ]);
    await kubectlOk(cluster, ['wait', '--for=condition=Ready', 'certificate/leaf', '-n', namespace, '--timeout=60s'], {
      timeoutMs: 70_000,
    });

    const ca = await secretData('e2e-ca');
    const leaf = await secretData('leaf');
    expect(leaf['tls.key']).toContain('PRIVATE KEY');
    expect(leaf['ca.crt']).toBe(ca['tls.crt']);
    const caCertificate = new X509Certificate(ca['tls.crt'] ?? '');
    const leafCertificate = new X509Certificate(leaf['tls.crt'] ?? '');
    expect(caCertificate.ca).toBe(true);
    expect(caCertificate.subject).toContain('CN=gko e2e CA');
    expect(leafCertificate.checkIssued(caCertificate)).toBe(true);
    expect(leafCertificate.verify(caCertificate.publicKey)).toBe(true);
    expect(leafCertificate.subjectAltName).toBe('DNS:webhook.gko.test');
  });

  it('injects the CA of a certificate into a webhook configuration that asks for it', async () => {
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: webhookName, annotations: { 'cert-manager.io/inject-ca-from': `${namespace}/leaf` } },
      webhooks: [
        {
          name: 'never-called.gko.test',
          // Nothing matches: only the caBundle matters here, the API server never calls this URL.
          clientConfig: { url: 'https://127.0.0.1:9/validate' },
          rules: [{ apiGroups: ['e2e.gko.test'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['nothing'] }],
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Ignore',
        },
      ],
    };
    await kubectlOk(cluster, ['apply', '-f', '-'], { input: JSON.stringify(webhook) });

    const caBundle = await retryUntil(
      async () => {
        const stored = JSON.parse(
          await kubectlOk(cluster, ['get', 'validatingwebhookconfiguration', webhookName, '-o', 'json']),
        ) as { webhooks: { clientConfig: { caBundle?: string } }[] };
        return stored.webhooks[0]?.clientConfig.caBundle;
      },
      (bundle) => Boolean(bundle),
      100, // tries, 300 ms apart
    );
    expect(Buffer.from(caBundle ?? '', 'base64').toString()).toBe((await secretData('leaf'))['ca.crt']);
  });
});
