import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadYaml, type V1Secret } from '@kubernetes/client-node';
import { upstreamReferenceDir } from '@gko/api/corpus';
import { createCertificateAuthority, createKeyPair } from '@gko/kube/pki';
import { checkKeyPair, KeyPairChecks, type KeyPairVerdict } from './tls.ts';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const secret = (data: Record<string, string>, version = '1', uid = 'u-secret') => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'kubernetes.io/tls',
  metadata: { name: 'shop-tls', namespace: 'team-a', uid, resourceVersion: version },
  data,
});

const tlsSecret = (certPem: string, keyPem: string, version?: string, uid?: string) =>
  secret({ 'tls.crt': base64(certPem), 'tls.key': base64(keyPem) }, version, uid);

/** A fresh EC private key in PEM, that goes with no certificate of these tests. */
const otherKeyPem = () =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

const failure = (verdict: KeyPairVerdict) => {
  expect(verdict.ok).toBe(false);
  return verdict as Extract<KeyPairVerdict, { ok: false }>;
};

/** What of the Secret's content could leak into a message: the PEM armour, or any line of it. */
function expectNoContent(message: string, pems: string[]) {
  expect(message).not.toContain('-----');
  for (const pem of pems)
    for (const line of pem.split('\n').filter((l) => l.length > 16 && !l.startsWith('-----')))
      expect(message).not.toContain(line);
}

// One certificate with its own key for the tests below (made once: key generation is slow).
let certPem = '';
let keyPem = '';
beforeAll(async () => {
  const authority = await createCertificateAuthority({ commonName: 'shop.example.com', validityDays: 1 });
  certPem = authority.certPem;
  keyPem = authority.keyPem;
});

describe('the key-pair check of a TLS Secret', () => {
  it('passes a certificate with its own key, versioned by their content rather than by the Secret', () => {
    const verdict = checkKeyPair(tlsSecret(certPem, keyPem, '42'), 'team-a/shop-tls');
    expect(verdict).toEqual({ ok: true, version: expect.stringMatching(/^[0-9a-f]{16}$/) });
    // A metadata change (a new resourceVersion, same content) is not a new certificate for the gateways.
    expect(checkKeyPair(tlsSecret(certPem, keyPem, '43'), 'team-a/shop-tls')).toEqual(verdict);
  });

  it('gives another version to another certificate and key', async () => {
    const other = await createCertificateAuthority({ commonName: 'shop.example.com', validityDays: 1 });
    const one = checkKeyPair(tlsSecret(certPem, keyPem), 'team-a/shop-tls');
    const two = checkKeyPair(tlsSecret(other.certPem, other.keyPem), 'team-a/shop-tls');
    expect(one.ok && two.ok && one.version !== two.version).toBe(true);
  });

  it('says that a missing Secret does not exist', () => {
    const verdict = failure(checkKeyPair(undefined, 'team-a/shop-tls'));
    expect(verdict.reason).toBe('TLSSecretNotFound');
    expect(verdict.message).toBe('Secret team-a/shop-tls does not exist');
  });

  it('needs both tls.crt and tls.key', () => {
    const incomplete: Record<string, string>[] = [{ 'tls.crt': base64(certPem) }, { 'tls.key': base64(keyPem) }, {}];
    for (const data of incomplete) {
      const verdict = failure(checkKeyPair(secret(data), 'team-a/shop-tls'));
      expect(verdict.reason).toBe('InvalidTLSSecret');
      expect(verdict.message).toContain('needs both tls.crt and tls.key');
    }
    // A Secret without data at all is the same.
    const { data: _data, ...empty } = secret({});
    expect(failure(checkKeyPair(empty, 'team-a/shop-tls')).reason).toBe('InvalidTLSSecret');
  });

  it('names tls.crt when it is not a PEM certificate', () => {
    const verdict = failure(checkKeyPair(tlsSecret('not a certificate', keyPem), 'team-a/shop-tls'));
    expect(verdict.reason).toBe('InvalidTLSSecret');
    expect(verdict.message).toBe('Secret team-a/shop-tls: tls.crt is not a PEM certificate');
    expectNoContent(verdict.message, [keyPem]);
  });

  it('names tls.key when it is not a PEM private key', () => {
    for (const key of ['not a key', certPem]) {
      const verdict = failure(checkKeyPair(tlsSecret(certPem, key), 'team-a/shop-tls'));
      expect(verdict.reason).toBe('InvalidTLSSecret');
      expect(verdict.message).toBe('Secret team-a/shop-tls: tls.key is not a PEM private key');
      expectNoContent(verdict.message, [certPem, key]);
    }
  });

  it('refuses a key that is not the one of the certificate', async () => {
    for (const key of [otherKeyPem(), (await createKeyPair()).keyPem]) {
      const verdict = failure(checkKeyPair(tlsSecret(certPem, key), 'team-a/shop-tls'));
      expect(verdict.reason).toBe('InvalidTLSSecret');
      expect(verdict.message).toBe(
        'Secret team-a/shop-tls: the private key in tls.key does not match the certificate in tls.crt',
      );
      expectNoContent(verdict.message, [certPem, key]);
    }
  });
});

describe('the key-pair checks remembered per Secret version', () => {
  it('give the remembered verdict for the same uid and resourceVersion, without parsing again', () => {
    const checks = new KeyPairChecks();
    const first = checks.check(tlsSecret(certPem, keyPem, '1'), 'team-a/shop-tls');
    expect(first.ok).toBe(true);
    // Content the API server would never give under the same version: the verdict is the remembered one.
    expect(checks.check(tlsSecret(certPem, otherKeyPem(), '1'), 'team-a/shop-tls')).toEqual(first);
  });

  it('check a new resourceVersion again', () => {
    const checks = new KeyPairChecks();
    expect(checks.check(tlsSecret(certPem, keyPem, '1'), 'team-a/shop-tls').ok).toBe(true);
    const rotated = failure(checks.check(tlsSecret(certPem, otherKeyPem(), '2'), 'team-a/shop-tls'));
    expect(rotated.message).toContain('does not match');
    // And back to a good pair at the next version.
    expect(checks.check(tlsSecret(certPem, keyPem, '3'), 'team-a/shop-tls').ok).toBe(true);
  });

  it('check a Secret recreated under the same name again (new uid)', () => {
    const checks = new KeyPairChecks();
    expect(checks.check(tlsSecret(certPem, keyPem, '1', 'u-old'), 'team-a/shop-tls').ok).toBe(true);
    expect(checks.check(tlsSecret(certPem, otherKeyPem(), '1', 'u-new'), 'team-a/shop-tls').ok).toBe(false);
  });

  it('do not remember a missing Secret: it is checked when it appears', () => {
    const checks = new KeyPairChecks();
    expect(failure(checks.check(undefined, 'team-a/shop-tls')).reason).toBe('TLSSecretNotFound');
    expect(checks.check(tlsSecret(certPem, keyPem, '1'), 'team-a/shop-tls').ok).toBe(true);
  });

  it('forget the oldest verdict beyond their limit', () => {
    const checks = new KeyPairChecks(1);
    expect(checks.check(tlsSecret(certPem, keyPem, '1'), 'team-a/shop-tls').ok).toBe(true);
    expect(checks.check(tlsSecret(certPem, keyPem, '1'), 'team-a/other-tls').ok).toBe(true);
    // The first verdict was dropped: the same version is parsed again and its (changed) content shows.
    expect(checks.check(tlsSecret(certPem, otherKeyPem(), '1'), 'team-a/shop-tls').ok).toBe(false);
  });
});

const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream reference data (../shared/reference/gko) not found: upstream TLS Secret skipped');

describe.skipIf(!dir)('the upstream TLS Secret example', () => {
  const example = (): V1Secret & { data: Record<string, string> } => {
    const text = readFileSync(join(dir!, 'examples', 'ingress', 'ingress-with-tls-secret.yml'), 'utf8');
    // The JSON round trip leaves out the fields the client's deserializer sets to undefined.
    const object = JSON.parse(JSON.stringify(loadYaml(text))) as V1Secret & { data: Record<string, string> };
    return { ...object, metadata: { ...object.metadata, namespace: 'default', uid: 'u-tls', resourceVersion: '7' } };
  };
  const pem = (value: string) => Buffer.from(value, 'base64').toString('utf8');

  it('passes: its EC key goes with its certificate', () => {
    expect(checkKeyPair(example(), 'default/httpbin.example.com').ok).toBe(true);
  });

  it('fails with a freshly generated key instead of its own, without showing either', () => {
    const original = example();
    const key = otherKeyPem();
    const mismatched = { ...original, data: { ...original.data, 'tls.key': base64(key) } };
    const verdict = failure(checkKeyPair(mismatched, 'default/httpbin.example.com'));
    expect(verdict.reason).toBe('InvalidTLSSecret');
    expect(verdict.message).toContain('does not match');
    expectNoContent(verdict.message, [pem(original.data['tls.crt']!), pem(original.data['tls.key']!), key]);
    expect(verdict.message).not.toContain(original.data['tls.crt']!.slice(0, 32));
  });
});
