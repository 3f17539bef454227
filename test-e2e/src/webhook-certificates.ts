// What a webhook's certificate looks like from outside: the one it serves, the Secret holding it, and
// the CAs its configurations tell the API server to trust.
import { connect } from 'node:tls';
import { kubectlOk, type KubectlTarget } from './kubectl.ts';

/** The SHA-256 fingerprint of the certificate served on 127.0.0.1:port for that server name. */
export async function servedCertificate(port: number, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()!.fingerprint256);
      socket.end();
    });
    socket.on('error', reject);
  });
}

export interface SecretWithData {
  metadata: { resourceVersion: string };
  data: Record<string, string>;
}

/** A Secret with its values decoded. */
export async function decodedSecret(cluster: KubectlTarget, namespace: string, name: string): Promise<SecretWithData> {
  const secret = JSON.parse(await kubectlOk(cluster, ['get', 'secret', name, '-n', namespace, '-o', 'json'])) as {
    metadata: { resourceVersion: string };
    data?: Record<string, string>;
  };
  const data = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]),
  );
  return { metadata: secret.metadata, data };
}

/** The caBundle of every webhook of the two configurations, decoded. */
export async function caBundles(
  cluster: KubectlTarget,
  names: { validating: string; mutating: string },
): Promise<string[]> {
  const bundles: string[] = [];
  for (const [type, name] of [
    ['validatingwebhookconfiguration', names.validating],
    ['mutatingwebhookconfiguration', names.mutating],
  ] as const) {
    const out = await kubectlOk(cluster, ['get', type, name, '-o', 'jsonpath={.webhooks[*].clientConfig.caBundle}']);
    bundles.push(...out.split(' ').map((b) => Buffer.from(b, 'base64').toString()));
  }
  return bundles;
}
