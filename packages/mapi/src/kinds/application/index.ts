export { certificateName, toApplicationSpec, type ResolvedCertificate } from './to-request.ts';
export { applicationStatus } from './from-response.ts';
export { resolveCertificates, type CertificateProblem, type ResolvedCertificates } from './certificates.ts';
