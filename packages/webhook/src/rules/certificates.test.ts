import { describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '@gko/kube/pki';
import { certificateFindings, dateRangeFindings, parseDateTime } from './certificates.ts';

describe('client certificates', () => {
  it('must be PEM certificates of clients', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca', validityDays: 1 });
    const client = await ca.issue({ commonName: 'client', usage: 'client', validityDays: 1 });
    expect(certificateFindings(client.certPem, 'p')).toEqual([]);
    expect(certificateFindings(ca.certPem, 'p')[0]?.message).toContain('CA certificate');
    expect(certificateFindings('  ', 'p')[0]?.message).toBe('the certificate is empty');
    expect(
      certificateFindings('-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----', 'p')[0]?.message,
    ).toContain('not a PEM-encoded');
  });

  it('have validity dates in order, not yet passed, in RFC 3339', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(dateRangeFindings('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', 'c', now)).toEqual([]);
    expect(dateRangeFindings('2027-01-01T00:00:00Z', '2026-12-01T00:00:00Z', 'c', now).map((f) => f.message)).toEqual([
      'endsAt must be after startsAt',
    ]);
    expect(dateRangeFindings(undefined, '2026-05-01T00:00:00Z', 'c', now).map((f) => f.path)).toEqual(['c.endsAt']);
    expect(dateRangeFindings('next week', undefined, 'c', now).map((f) => f.path)).toEqual(['c.startsAt']);
    expect(parseDateTime('2026-01-01')).toBeUndefined();
  });
});
