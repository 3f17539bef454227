export { certificateName, toApplicationSpec, type ResolvedCertificate } from './to-request.ts';
export { applicationStatus } from './from-response.ts';
