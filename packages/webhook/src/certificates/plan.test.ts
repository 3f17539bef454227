import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { injectedBundle, renewalReason, renewed, serviceDnsNames, type CertificatePolicy } from './plan.ts';

const HOUR = 3600_000;
const policy: CertificatePolicy = {
  dnsNames: serviceDnsNames('gko-webhook', 'gko-system'),
  servingValidityMs: 30 * HOUR,
  caValidityMs: 400 * HOUR,
};
const later = (ms: number) => new Date(Date.now() + ms);
const certs = (bundle: string | undefined) =>
  (bundle?.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new X509Certificate(pem),
  );

describe('self-managed webhook certificates', () => {
  it('issues a CA and a serving certificate for the Service into an empty Secret', async () => {
    expect(renewalReason({}, new Date(), policy)).toBe('no CA with its key');
    const data = await renewed({}, new Date(), policy);
    const [ca] = certs(data.ca);
    const [serving] = certs(data.cert);
    expect(serving!.checkIssued(ca!)).toBe(true);
    expect(serving!.subjectAltName).toContain('DNS:gko-webhook.gko-system.svc');
    expect(serving!.subjectAltName).toContain('DNS:gko-webhook.gko-system.svc.cluster.local');
    expect(renewalReason(data, new Date(), policy)).toBeUndefined();
  });

  it('renews the serving certificate under the same CA once a third of its validity is left', async () => {
    const data = await renewed({}, new Date(), policy);
    expect(renewalReason(data, later(19 * HOUR), policy)).toBeUndefined();
    expect(renewalReason(data, later(21 * HOUR), policy)).toBe('the serving certificate expires soon');
    const next = await renewed(data, later(21 * HOUR), policy);
    expect(next.ca).toBe(data.ca);
    expect(next['ca.key']).toBe(data['ca.key']);
    expect(next.cert).not.toBe(data.cert);
  });

  it('replaces a CA about to expire and keeps the old one in the bundle while it is valid', async () => {
    const data = await renewed({}, new Date(), policy);
    const nearCaEnd = later(400 * HOUR - 50 * HOUR);
    expect(renewalReason(data, nearCaEnd, policy)).toBe('the CA expires soon');
    const next = await renewed(data, nearCaEnd, policy);
    const bundle = certs(next.ca);
    expect(bundle).toHaveLength(2);
    expect(bundle[1]!.fingerprint256).toBe(certs(data.ca)[0]!.fingerprint256);
    expect(certs(next.cert)[0]!.checkIssued(bundle[0]!)).toBe(true);
    // Once the old CA has expired, it leaves the bundle at the next renewal.
    const afterOldCa = await renewed(next, later(401 * HOUR), policy);
    expect(certs(afterOldCa.ca)).toHaveLength(1);
  });

  it('reissues when the Service changes, or when a key does not match its certificate', async () => {
    const data = await renewed({}, new Date(), policy);
    const moved = { ...policy, dnsNames: serviceDnsNames('gko-webhook', 'elsewhere') };
    expect(renewalReason(data, new Date(), moved)).toBe('the serving certificate does not name the Service');
    const other = await renewed({}, new Date(), policy);
    expect(renewalReason({ ...data, key: other.key }, new Date(), policy)).toBe('no serving certificate with its key');
    expect(renewalReason({ ...data, cert: other.cert, key: other.key }, new Date(), policy)).toBe(
      'the serving certificate is not signed by the CA',
    );
    // An upstream Secret (ca, cert, key, but no CA key) gets a CA of its own.
    expect(renewalReason({ ca: data.ca, cert: data.cert, key: data.key }, new Date(), policy)).toBe(
      'no CA with its key',
    );
  });

  it('injects every CA of the Secret into the configurations, never taking a newer one out', async () => {
    const first = await renewed({}, new Date(), policy);
    const rotated = await renewed(first, later(400 * HOUR - 50 * HOUR), policy);
    // Nothing to do when the configuration already trusts every CA of the Secret.
    expect(injectedBundle(first.ca!, first.ca, new Date())).toBeUndefined();
    // An empty configuration gets the Secret's bundle.
    expect(certs(injectedBundle(first.ca!, undefined, new Date()))).toHaveLength(1);
    // The rotated bundle (new CA, then the old one) replaces the old one.
    expect(certs(injectedBundle(rotated.ca!, first.ca, new Date())).map((c) => c.fingerprint256)).toEqual(
      certs(rotated.ca).map((c) => c.fingerprint256),
    );
    // A replica still holding the old Secret keeps the new CA another replica injected.
    expect(injectedBundle(first.ca!, rotated.ca, new Date())).toBeUndefined();
    const other = await renewed({}, new Date(), policy);
    expect(certs(injectedBundle(first.ca!, other.ca, new Date()))).toHaveLength(2);
  });
});
