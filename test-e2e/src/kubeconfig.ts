import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { ClientCredentials } from './cluster-pki.ts';

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export function renderKubeconfig(server: string, caPem: string, user: string, credentials: ClientCredentials): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'testenv', cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [
      {
        name: user,
        user: { 'client-certificate-data': b64(credentials.certPem), 'client-key-data': b64(credentials.keyPem) },
      },
    ],
    contexts: [{ name: 'testenv', context: { cluster: 'testenv', user, namespace: 'default' } }],
    'current-context': 'testenv',
  });
}

export async function writeKubeconfig(
  path: string,
  server: string,
  caPem: string,
  user: string,
  credentials: ClientCredentials,
): Promise<void> {
  await writeFile(path, renderKubeconfig(server, caPem, user, credentials), { mode: 0o600 });
}
