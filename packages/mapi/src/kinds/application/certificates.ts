// The client certificates of an application, read from the spec, Secrets or ConfigMaps.
import { resolveReference, unreadableDetail, type Application } from '@gko/api';
import type { DataLookup } from '../lookup.ts';
import { certificateName, type ResolvedCertificate } from './to-request.ts';

export interface CertificateProblem {
  path: string;
  message: string;
  /** The Secret or ConfigMap in question, and what is wrong with it. */
  source: { kind: 'Secret' | 'ConfigMap'; namespace: string; name: string; detail: string };
  /** It does not exist (rather than lacking the key, or being of a namespace that grants no read). */
  missing: boolean;
}

export interface ResolvedCertificates {
  certificates: ResolvedCertificate[];
  /** Position in spec.settings.tls.clientCertificates of each certificate read. */
  positions: number[];
  problems: CertificateProblem[];
}

export function resolveCertificates(application: Application, read: DataLookup): ResolvedCertificates {
  const namespace = application.metadata.namespace ?? 'default';
  const certificates: ResolvedCertificate[] = [];
  const positions: number[] = [];
  const problems: CertificateProblem[] = [];
  (application.spec.settings.tls?.clientCertificates ?? []).forEach((entry, index) => {
    const path = `spec.settings.tls.clientCertificates[${index}]`;
    let content = entry.content;
    if (entry.ref) {
      const kind = entry.ref.kind === 'configmaps' ? 'ConfigMap' : 'Secret';
      const key = entry.ref.key ?? 'tls.crt';
      const { namespace: ns, name } = resolveReference(entry.ref, namespace);
      const data = read(kind, ns, name, namespace);
      const problem = (detail: string, missing = false) =>
        problems.push({
          path: `${path}.ref`,
          message: `${kind} ${ns}/${name} ${detail}`,
          source: { kind, namespace: ns, name, detail },
          missing,
        });
      if (!data)
        return void (ns === namespace ? problem('does not exist', true) : problem(unreadableDetail(kind, namespace)));
      content = data[key];
      if (!content) return void problem(`has no key ${key}`);
    }
    if (content && entry.encoded) content = Buffer.from(content, 'base64').toString('utf8');
    positions.push(index);
    certificates.push({
      name: certificateName(application.spec.name, index, entry.name),
      content: content ?? '',
      ...(entry.startsAt ? { startsAt: entry.startsAt } : {}),
      ...(entry.endsAt ? { endsAt: entry.endsAt } : {}),
    });
  });
  return { certificates, positions, problems };
}
