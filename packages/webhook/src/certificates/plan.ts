// What the self-managed webhook certificates need, decided from what the Secret holds: a CA (kept
// for years) signs a short-lived serving certificate, renewed when a third of its validity is left.
// The caBundle given to the API server lists the current CA and any earlier one still valid, so a
// renewal (of either) never leaves a replica serving a certificate the API server does not trust.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createCertificateAuthority, loadCertificateAuthority } from '@gko/kube/pki';

/** The Secret's keys: upstream's `ca`, `cert` and `key`, plus the CA's key for renewals. */
export interface CertificateData {
  /** PEM bundle of the CAs the API server must trust, the current one first. */
  ca?: string;
  'ca.key'?: string;
  cert?: string;
  key?: string;
}

export interface CertificatePolicy {
  /** Names the serving certificate must hold (the Service's DNS names). */
  dnsNames: string[];
  servingValidityMs: number;
  caValidityMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function defaultCaValidityMs(servingValidityMs: number): number {
  return Math.max(10 * 365 * DAY_MS, 4 * servingValidityMs);
}

function splitPem(bundle: string | undefined): X509Certificate[] {
  const blocks = bundle?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
}

function matchesKey(cert: X509Certificate, keyPem: string | undefined): boolean {
  if (!keyPem) return false;
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

const remainingMs = (cert: X509Certificate, now: Date) => Date.parse(cert.validTo) - now.getTime();

function coversNames(cert: X509Certificate, dnsNames: string[]): boolean {
  const names = new Set((cert.subjectAltName ?? '').split(', ').map((entry) => entry.replace(/^DNS:/, '')));
  return dnsNames.every((name) => names.has(name));
}

/** Why the data must change, or undefined when it is fine as it is. */
export function renewalReason(data: CertificateData, now: Date, policy: CertificatePolicy): string | undefined {
  const [current] = splitPem(data.ca);
  if (!current || !matchesKey(current, data['ca.key'])) return 'no CA with its key';
  if (remainingMs(current, now) < 2 * policy.servingValidityMs) return 'the CA expires soon';
  const serving = splitPem(data.cert)[0];
  if (!serving || !matchesKey(serving, data.key)) return 'no serving certificate with its key';
  if (!serving.checkIssued(current) || !serving.verify(current.publicKey))
    return 'the serving certificate is not signed by the CA';
  if (!coversNames(serving, policy.dnsNames)) return 'the serving certificate does not name the Service';
  if (remainingMs(serving, now) < policy.servingValidityMs / 3) return 'the serving certificate expires soon';
  return undefined;
}

/**
 * The data with whatever was due renewed: a new CA when there is none usable (the earlier ones stay
 * in the bundle until they expire), and a new serving certificate signed by the current CA.
 */
export async function renewed(data: CertificateData, now: Date, policy: CertificatePolicy): Promise<CertificateData> {
  const bundle = splitPem(data.ca);
  let [current] = bundle;
  let caPem = current?.toString();
  let caKey = data['ca.key'];
  if (!current || !matchesKey(current, caKey) || remainingMs(current, now) < 2 * policy.servingValidityMs) {
    const fresh = await createCertificateAuthority({
      commonName: 'gko-webhook-ca',
      validityDays: policy.caValidityMs / DAY_MS,
    });
    caPem = fresh.certPem;
    caKey = fresh.keyPem;
    current = new X509Certificate(fresh.certPem);
  }
  const authority = await loadCertificateAuthority({ certPem: caPem!, keyPem: caKey! });
  const serving = await authority.issue({
    commonName: policy.dnsNames[0] ?? 'gko-webhook',
    dnsNames: policy.dnsNames,
    usage: 'server',
    validityDays: policy.servingValidityMs / DAY_MS,
  });
  const stillValid = bundle.filter(
    (cert) => cert.fingerprint256 !== current.fingerprint256 && remainingMs(cert, now) > 0,
  );
  return {
    ca: [current, ...stillValid].map((cert) => cert.toString().trim()).join('\n') + '\n',
    'ca.key': caKey!,
    cert: serving.certPem,
    key: serving.keyPem,
  };
}

/** The DNS names a Service is reached by inside the cluster. */
export function serviceDnsNames(service: string, namespace: string): string[] {
  return [
    service,
    `${service}.${namespace}`,
    `${service}.${namespace}.svc`,
    `${service}.${namespace}.svc.cluster.local`,
  ];
}

/**
 * The caBundle a configuration should carry, or undefined when the one it has will do: every CA of
 * the Secret, and the CAs already there that are still valid. A replica that read the Secret before
 * another one rotated the CA can thus never take the new CA out of a configuration.
 */
export function injectedBundle(secretBundle: string, configured: string | undefined, now: Date): string | undefined {
  const wanted = splitPem(secretBundle);
  const present = splitPem(configured);
  const has = (cert: X509Certificate) => present.some((p) => p.fingerprint256 === cert.fingerprint256);
  if (wanted.every(has)) return undefined;
  const kept = present.filter(
    (p) => !wanted.some((w) => w.fingerprint256 === p.fingerprint256) && remainingMs(p, now) > 0,
  );
  return [...wanted, ...kept].map((cert) => cert.toString().trim()).join('\n') + '\n';
}
