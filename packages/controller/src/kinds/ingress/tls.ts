// The TLS Secrets of Ingresses: a certificate and the private key that goes with it, in PEM, or the
// gateway could not serve the host. Checked before a Secret is registered; a verdict is kept per
// Secret version, so that a Secret used by many Ingresses is parsed once per change.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { isWithoutData } from '@gko/kube';

export type KeyPairVerdict = { ok: true; version: string } | { ok: false; reason: string; message: string };

interface SecretLike extends KubernetesObject {
  data?: Record<string, string>;
}

const decode = (value: string | undefined) => (value ? Buffer.from(value, 'base64').toString('utf8') : undefined);

/** Checks a Secret read from the cache; messages name the Secret and the key, never their content. */
export function checkKeyPair(secret: SecretLike | undefined, id: string): KeyPairVerdict {
  if (!secret) return { ok: false, reason: 'TLSSecretNotFound', message: `Secret ${id} does not exist` };
  const cert = decode(secret.data?.['tls.crt']);
  const key = decode(secret.data?.['tls.key']);
  if (!cert || !key)
    return {
      ok: false,
      reason: 'InvalidTLSSecret',
      message: `Secret ${id} needs both tls.crt and tls.key (a certificate and its private key, in PEM)`,
    };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    return { ok: false, reason: 'InvalidTLSSecret', message: `Secret ${id}: tls.crt is not a PEM certificate` };
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return { ok: false, reason: 'InvalidTLSSecret', message: `Secret ${id}: tls.key is not a PEM private key` };
  }
  if (!certificate.checkPrivateKey(privateKey))
    return {
      ok: false,
      reason: 'InvalidTLSSecret',
      message: `Secret ${id}: the private key in tls.key does not match the certificate in tls.crt`,
    };
  // What the gateways load: a change of metadata alone is not a new certificate.
  return { ok: true, version: createHash('sha256').update(cert).update('\0').update(key).digest('hex').slice(0, 16) };
}

/** checkKeyPair, remembered by Secret uid and resourceVersion (bounded). */
export class KeyPairChecks {
  private readonly verdicts = new Map<string, KeyPairVerdict>();
  private readonly limit: number;

  constructor(limit = 10_000) {
    this.limit = limit;
  }

  check(secret: SecretLike | undefined, id: string): KeyPairVerdict {
    if (!secret) return checkKeyPair(secret, id);
    // Its data is read before the reconcile; should that read have failed, say so and remember nothing.
    if (isWithoutData(secret))
      return { ok: false, reason: 'TLSSecretNotRead', message: `Secret ${id} could not be read yet` };
    const version = `${id}@${secret.metadata?.uid ?? ''}/${secret.metadata?.resourceVersion ?? ''}`;
    const known = this.verdicts.get(version);
    if (known) return known;
    const verdict = checkKeyPair(secret, id);
    this.verdicts.set(version, verdict);
    if (this.verdicts.size > this.limit) this.verdicts.delete(this.verdicts.keys().next().value!);
    return verdict;
  }
}
