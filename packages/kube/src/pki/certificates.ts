// A small certificate authority: enough X.509 to serve TLS and to authenticate clients, used by the
// self-managed webhook certificates and by the test control plane. Node's crypto module cannot sign
// certificates, so signing goes through @peculiar/x509 over WebCrypto (ECDSA P-256, SHA-256).
// @peculiar/x509 resolves its algorithm providers through a DI container that needs this polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
// Tolerate small clock differences between the issuer and whoever checks the certificate.
const BACKDATE_MS = 5 * 60 * 1000;

export interface KeyPair {
  /** PEM, PKCS#8 ("PRIVATE KEY"). */
  keyPem: string;
  /** PEM, SubjectPublicKeyInfo ("PUBLIC KEY"). */
  publicKeyPem: string;
}

export interface IssuedCertificate extends KeyPair {
  /** PEM ("CERTIFICATE"). */
  certPem: string;
  notAfter: Date;
}

export interface CertificateAuthority extends IssuedCertificate {
  issue(request: CertificateRequest): Promise<IssuedCertificate>;
}

export type CertificateUsage = 'server' | 'client' | 'server-and-client';

export interface CertificateRequest {
  commonName: string;
  /** Subject organisations; Kubernetes reads them as the groups of a client certificate's user. */
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: CertificateUsage;
  validityDays: number;
}

function subject(commonName: string, organizations: string[] = []): string {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return [`CN=${escape(commonName)}`, ...organizations.map((o) => `O=${escape(o)}`)].join(', ');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
}

async function exportKeys(keys: CryptoKeyPair): Promise<KeyPair> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const spki = await crypto.subtle.exportKey('spki', keys.publicKey);
  return {
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY'),
  };
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

function serialNumber(): string {
  // Positive 128-bit serial: clear the top bit so DER does not read it as negative.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

const extendedUsages: Record<CertificateUsage, string[]> = {
  server: [x509.ExtendedKeyUsage.serverAuth],
  client: [x509.ExtendedKeyUsage.clientAuth],
  'server-and-client': [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
};

/** Generates a fresh key pair, e.g. for signing service-account tokens. */
export async function createKeyPair(): Promise<KeyPair> {
  return exportKeys(await generateKeys());
}

export async function createCertificateAuthority(options: {
  commonName: string;
  validityDays: number;
}): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const { notBefore, notAfter } = validity(options.validityDays);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject(options.commonName),
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return authority(caCert, keys.privateKey, await exportKeys(keys));
}

/** Reopens an authority from its PEM certificate and PKCS#8 key, e.g. as stored in a Secret. */
export async function loadCertificateAuthority(pem: {
  certPem: string;
  keyPem: string;
}): Promise<CertificateAuthority> {
  const caCert = new x509.X509Certificate(pem.certPem);
  const privateKey = await crypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(pem.keyPem),
    algorithm,
    true,
    ['sign'],
  );
  const spki = caCert.publicKey.rawData;
  return authority(caCert, privateKey, {
    keyPem: pem.keyPem,
    publicKeyPem: x509.PemConverter.encode(spki, 'PUBLIC KEY'),
  });
}

function authority(caCert: x509.X509Certificate, caKey: CryptoKey, pems: KeyPair): CertificateAuthority {
  const issue = async (request: CertificateRequest): Promise<IssuedCertificate> => {
    const leafKeys = await generateKeys();
    const requested = validity(request.validityDays);
    const period = {
      notBefore: requested.notBefore,
      notAfter: new Date(Math.min(+requested.notAfter, +caCert.notAfter)),
    };
    const names: x509.JsonGeneralName[] = [
      ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
      ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ];
    const leaf = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: subject(request.commonName, request.organizations),
      issuer: caCert.subject,
      ...period,
      signingAlgorithm: algorithm,
      publicKey: leafKeys.publicKey,
      signingKey: caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension(extendedUsages[request.usage], false),
        ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names, false)] : []),
        await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
      ],
    });
    return { ...(await exportKeys(leafKeys)), certPem: leaf.toString('pem'), notAfter: period.notAfter };
  };
  return { ...pems, certPem: caCert.toString('pem'), notAfter: caCert.notAfter, issue };
}
