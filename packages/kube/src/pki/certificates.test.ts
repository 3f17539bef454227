import { X509Certificate, createPublicKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { createCertificateAuthority, createKeyPair, loadCertificateAuthority } from './certificates.ts';

describe('certificate authority', () => {
  it('issues a server certificate that Node accepts for its names and rejects for others', async () => {
    const ca = await createCertificateAuthority({ commonName: 'test-ca', validityDays: 1 });
    const server = await ca.issue({
      commonName: 'webhook',
      dnsNames: ['localhost', 'webhook.gko-system.svc'],
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
      validityDays: 1,
    });
    const cert = new X509Certificate(server.certPem);
    const caCert = new X509Certificate(ca.certPem);

    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkHost('webhook.gko-system.svc')).toBe('webhook.gko-system.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(cert.keyUsage).not.toContain('1.3.6.1.5.5.7.3.2'); // no clientAuth
  });

  it('puts the organisations in the subject, which Kubernetes reads as groups', async () => {
    const ca = await createCertificateAuthority({ commonName: 'clients', validityDays: 1 });
    const admin = await ca.issue({
      commonName: 'admin',
      organizations: ['system:masters'],
      usage: 'client',
      validityDays: 1,
    });
    const cert = new X509Certificate(admin.certPem);
    expect(cert.subject.split('\n')).toEqual(['CN=admin', 'O=system:masters']);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('never issues past the expiry of the authority itself', async () => {
    const ca = await createCertificateAuthority({ commonName: 'short-lived', validityDays: 2 });
    const leaf = await ca.issue({ commonName: 'x', usage: 'server', validityDays: 365 });
    expect(leaf.notAfter.getTime()).toBeLessThanOrEqual(ca.notAfter.getTime());
  });

  it('completes a mutual TLS handshake with the issued certificates', async () => {
    const ca = await createCertificateAuthority({ commonName: 'mtls-ca', validityDays: 1 });
    const serverCert = await ca.issue({
      commonName: 'server',
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
      validityDays: 1,
    });
    const clientCert = await ca.issue({ commonName: 'alice', usage: 'client', validityDays: 1 });

    const server = createServer(
      { cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
      (socket) => socket.end(`hello ${(socket.getPeerCertificate().subject as { CN: string }).CN}`),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const socket: TLSSocket = connect({
        host: '127.0.0.1',
        port,
        ca: ca.certPem,
        cert: clientCert.certPem,
        key: clientCert.keyPem,
      });
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      await once(socket, 'end');
      expect(socket.authorized).toBe(true);
      expect(received).toBe('hello alice');
    } finally {
      server.close();
    }
  });

  it('reopens an authority from its PEM files and keeps issuing under the same root', async () => {
    const original = await createCertificateAuthority({ commonName: 'persisted', validityDays: 1 });
    const reopened = await loadCertificateAuthority({ certPem: original.certPem, keyPem: original.keyPem });
    const leaf = await reopened.issue({ commonName: 'later', usage: 'client', validityDays: 1 });
    expect(new X509Certificate(leaf.certPem).verify(new X509Certificate(original.certPem).publicKey)).toBe(true);
    expect(reopened.publicKeyPem).toBe(original.publicKeyPem);
  });

  it('exports key pairs that Node can load', async () => {
    const pair = await createKeyPair();
    expect(createPublicKey(pair.publicKeyPem).asymmetricKeyType).toBe('ec');
    expect(createPublicKey(pair.keyPem).export({ format: 'pem', type: 'spki' })).toBe(
      pair.publicKeyPem.replace(/\r\n/g, '\n').trim() + '\n',
    );
  });
});
