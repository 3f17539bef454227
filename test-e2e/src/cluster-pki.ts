// The certificates of a test cluster, written under the run directory so that any test worker can
// start more components (or mint more users) from them.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, createKeyPair, loadCertificateAuthority } from '@gko/kube/pki';

export interface ClusterPkiFiles {
  dir: string;
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

export interface ClientCredentials {
  certPem: string;
  keyPem: string;
}

const VALIDITY_DAYS = 7;

export function pkiFiles(runDir: string): ClusterPkiFiles {
  const dir = join(runDir, 'pki');
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    apiserverCert: join(dir, 'apiserver.crt'),
    apiserverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPublicKey: join(dir, 'sa.pub'),
  };
}

/**
 * One CA signs the API server's serving certificate and the client certificates it accepts.
 * `serviceIp` is the address of the kubernetes Service, which in-cluster clients connect to.
 */
export async function createClusterPki(runDir: string, serviceIp = '10.0.0.1'): Promise<ClusterPkiFiles> {
  const files = pkiFiles(runDir);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  const ca = await createCertificateAuthority({ commonName: 'gko-testenv-ca', validityDays: VALIDITY_DAYS });
  const serving = await ca.issue({
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    ipAddresses: ['127.0.0.1', serviceIp],
    usage: 'server',
    validityDays: VALIDITY_DAYS,
  });
  const serviceAccount = await createKeyPair();
  await Promise.all([
    writeFile(files.caCert, ca.certPem),
    writeFile(files.caKey, ca.keyPem, { mode: 0o600 }),
    writeFile(files.apiserverCert, serving.certPem),
    writeFile(files.apiserverKey, serving.keyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountKey, serviceAccount.keyPem, { mode: 0o600 }),
    writeFile(files.serviceAccountPublicKey, serviceAccount.publicKeyPem),
  ]);
  return files;
}

/** A client certificate for `user`; Kubernetes takes `groups` from the subject organisations. */
export async function issueClientCertificate(
  files: ClusterPkiFiles,
  user: string,
  groups: string[] = [],
): Promise<ClientCredentials> {
  const ca = await loadCertificateAuthority({
    certPem: await readFile(files.caCert, 'utf8'),
    keyPem: await readFile(files.caKey, 'utf8'),
  });
  const { certPem, keyPem } = await ca.issue({
    commonName: user,
    organizations: groups,
    usage: 'client',
    validityDays: VALIDITY_DAYS,
  });
  return { certPem, keyPem };
}
