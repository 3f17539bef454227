// The node's certificates, from the cluster CA: the kubelet's client certificate (its node identity,
// which the Node authorizer keys on) and its serving certificate, which the API server checks when
// it calls the kubelet for logs and exec.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCertificateAuthority } from '@gko/kube/pki';
import { issueClientCertificate, type ClientCredentials, type ClusterPkiFiles } from '../cluster-pki.ts';

export interface NodeCredentials {
  client: ClientCredentials;
  servingCert: string;
  servingKey: string;
}

const VALIDITY_DAYS = 7;

export async function issueNodeCredentials(
  pki: ClusterPkiFiles,
  nodeName: string,
  dir: string,
): Promise<NodeCredentials> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const client = await issueClientCertificate(pki, `system:node:${nodeName}`, ['system:nodes']);
  const ca = await loadCertificateAuthority({
    certPem: await readFile(pki.caCert, 'utf8'),
    keyPem: await readFile(pki.caKey, 'utf8'),
  });
  const serving = await ca.issue({
    commonName: `system:node:${nodeName}`,
    dnsNames: [nodeName],
    ipAddresses: ['127.0.0.1'],
    usage: 'server',
    validityDays: VALIDITY_DAYS,
  });
  const servingCert = join(dir, 'kubelet.crt');
  const servingKey = join(dir, 'kubelet.key');
  await writeFile(servingCert, serving.certPem);
  await writeFile(servingKey, serving.keyPem, { mode: 0o600 });
  return { client, servingCert, servingKey };
}
