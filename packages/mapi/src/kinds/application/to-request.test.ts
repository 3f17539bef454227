import { describe, expect, it } from 'vitest';
import type { Application } from '@gko/api';
import { certificateName, toApplicationSpec } from './to-request.ts';

const app = (settings: Application['spec']['settings'], extra: Partial<Application['spec']> = {}): Application => ({
  apiVersion: 'gravitee.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'shop', namespace: 'team-a' },
  spec: { contextRef: { name: 'apim' }, name: 'Shop', description: 'The shop', settings, ...extra },
});

describe('an Application as an Automation API request', () => {
  it('writes OAuth application types the way APIM spells them, with redirect URIs always present', () => {
    expect(
      toApplicationSpec(app({ oauth: { applicationType: 'BACKEND_TO_BACKEND', grantTypes: ['client_credentials'] } }))
        .settings,
    ).toEqual({
      oauth: { applicationType: 'backend_to_backend', grantTypes: ['client_credentials'], redirectUris: [] },
    });
  });

  it('sends resolved client certificates instead of their references', () => {
    const spec = toApplicationSpec(
      app({ app: { type: 'web' }, tls: { clientCertificates: [{ ref: { name: 'certs' } }] } }),
      [{ name: 'Shop-0', content: 'PEM', endsAt: '2030-01-01T00:00:00Z' }],
    );
    expect(spec.settings).toEqual({
      app: { type: 'web' },
      tls: { clientCertificates: [{ name: 'Shop-0', content: 'PEM', endsAt: '2030-01-01T00:00:00Z' }] },
    });
  });

  it('names unnamed certificates after the application and their position', () => {
    expect(certificateName('Shop', 2)).toBe('Shop-2');
    expect(certificateName('Shop', 2, 'partner')).toBe('partner');
  });

  it('gives metadata a format when the manifest leaves it out', () => {
    expect(
      toApplicationSpec(app({ app: { type: 'web' } }, { metadata: [{ name: 'owner', value: 'storefront' }] })).metadata,
    ).toEqual([{ name: 'owner', format: 'STRING', value: 'storefront' }]);
  });
});
