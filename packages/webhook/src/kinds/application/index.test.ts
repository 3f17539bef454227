import { describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '@gko/kube/pki';
import { MemoryLookups } from '../../lookups/memory-lookups.ts';
import { create, object, remove, secret, update, v4Api, where } from '../../test-support.ts';
import { application } from './index.ts';

const ca = await createCertificateAuthority({ commonName: 'partners', validityDays: 30 });
const client = (await ca.issue({ commonName: 'shop', usage: 'client', validityDays: 30 })).certPem;
const app = (tls: Record<string, unknown>) =>
  object('Application', 'shop', { name: 'Shop', description: 'd', settings: { app: { type: 'web' }, tls } });
const now = new Date('2026-06-01T00:00:00Z');
const lookups = (...objects: Parameters<MemoryLookups['put']>[0][]) => new MemoryLookups({ objects, now: () => now });

describe('Application admission', () => {
  it('checks each certificate: content, references, CA certificates, dates', async () => {
    const findings = await application.validate(
      create(
        app({
          clientCertificates: [
            { content: client },
            { content: ca.certPem },
            { ref: { name: 'missing' } },
            {
              ref: { name: 'certs', key: 'tls.crt' },
              startsAt: '2026-05-01T00:00:00Z',
              endsAt: '2026-04-01T00:00:00Z',
            },
            { content: 'not a certificate' },
          ],
        }),
      ),
      lookups(secret('certs', { 'tls.crt': client })),
    );
    expect(findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      'spec.settings.tls.clientCertificates[2].ref: Secret team-a/missing does not exist',
      'spec.settings.tls.clientCertificates[1].content: the certificate is a CA certificate; give the client certificate itself',
      'spec.settings.tls.clientCertificates[3].endsAt: endsAt must be after startsAt',
      'spec.settings.tls.clientCertificates[3].endsAt: the certificate stopped being accepted at 2026-04-01T00:00:00Z',
      'spec.settings.tls.clientCertificates[4].content: the certificate is not a PEM-encoded X.509 certificate',
    ]);
  });

  it('warns that the single certificate field is deprecated, and still checks it', async () => {
    expect(where(await application.validate(create(app({ clientCertificate: client })), lookups()))).toEqual([
      'warning spec.settings.tls.clientCertificate',
    ]);
    expect(where(await application.validate(create(app({ clientCertificate: ca.certPem })), lookups()))).toEqual([
      'error spec.settings.tls.clientCertificate',
      'warning spec.settings.tls.clientCertificate',
    ]);
  });

  it('names unnamed certificates after the application and their position', () => {
    const { object: mutated } = application.mutate!(
      create(app({ clientCertificates: [{ name: 'kept', content: client }, { content: client }] })),
      lookups(),
    );
    expect(
      (
        mutated?.spec as { settings: { tls: { clientCertificates: { name: string }[] } } }
      ).settings.tls.clientCertificates.map((c) => c.name),
    ).toEqual(['kept', 'Shop-1']);
    expect(application.mutate!(create(app({})), lookups()).object).toBeUndefined();
  });

  it('refuses certificates that all end before an mTLS subscription does', async () => {
    const api = v4Api('orders', { plans: { mtls: { name: 'mTLS', security: { type: 'MTLS' } } } });
    const sub = object('Subscription', 'shop-orders', {
      api: { name: 'orders' },
      application: { name: 'shop' },
      plan: 'mtls',
      endingAt: '2026-12-31T00:00:00Z',
    });
    const before = app({ clientCertificates: [{ content: client, endsAt: '2027-06-01T00:00:00Z' }] });
    const after = app({ clientCertificates: [{ content: client, endsAt: '2026-09-01T00:00:00Z' }] });
    expect(where(await application.validate(update(before, after), lookups(api, sub)))).toEqual([
      'error spec.settings.tls.clientCertificates',
    ]);
    expect(await application.validate(update(after, before), lookups(api, sub))).toEqual([]);
  });

  it('cannot be deleted while subscribed', async () => {
    const sub = object('Subscription', 's', { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'keys' });
    expect(where(await application.validate(remove(app({})), lookups(sub)))).toEqual(['error ']);
  });
});
