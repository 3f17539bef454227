export {
  createCertificateAuthority,
  createKeyPair,
  loadCertificateAuthority,
  type CertificateAuthority,
  type CertificateRequest,
  type CertificateUsage,
  type IssuedCertificate,
  type KeyPair,
} from './certificates.ts';
