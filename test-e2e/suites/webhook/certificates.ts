// A CA certificate and a client certificate it signed, made once per run.
import { createCertificateAuthority } from '@gko/kube/pki';

const ca = await createCertificateAuthority({ commonName: 'e2e-partners', validityDays: 30 });
export const CA_CERTIFICATE = ca.certPem;
export const CLIENT_CERTIFICATE = (await ca.issue({ commonName: 'e2e-client', usage: 'client', validityDays: 30 }))
  .certPem;
