// Client certificates must be PEM certificates of clients, not of certificate authorities, and
// their validity dates must make sense.
import { X509Certificate } from 'node:crypto';
import { error, type Finding } from './rule.ts';

export function certificateFindings(pem: string, path: string): Finding[] {
  if (!pem.trim()) return [error(path, 'the certificate is empty')];
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return [error(path, 'the certificate is not a PEM-encoded X.509 certificate')];
  }
  return certificate.ca ? [error(path, 'the certificate is a CA certificate; give the client certificate itself')] : [];
}

/** An RFC 3339 date and time, or undefined when the text is not one. */
export function parseDateTime(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function dateRangeFindings(
  startsAt: string | undefined,
  endsAt: string | undefined,
  path: string,
  now: Date,
): Finding[] {
  const findings: Finding[] = [];
  const start = startsAt === undefined ? undefined : parseDateTime(startsAt);
  const end = endsAt === undefined ? undefined : parseDateTime(endsAt);
  if (startsAt !== undefined && !start)
    findings.push(error(`${path}.startsAt`, `${startsAt} is not an RFC 3339 date and time`));
  if (endsAt !== undefined && !end)
    findings.push(error(`${path}.endsAt`, `${endsAt} is not an RFC 3339 date and time`));
  if (start && end && start >= end) findings.push(error(`${path}.endsAt`, 'endsAt must be after startsAt'));
  if (end && end <= now) findings.push(error(`${path}.endsAt`, `the certificate stopped being accepted at ${endsAt}`));
  return findings;
}
