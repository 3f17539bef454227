import { describe, expect, it } from 'vitest';
import { apimUrls } from './urls.ts';

const ids = { organizationId: 'DEFAULT', environmentId: 'DEFAULT' };

describe('APIM URLs', () => {
  it('use /management and /automation under a self-hosted base URL', () => {
    expect(apimUrls({ baseUrl: 'http://apim.example.com:8083', ...ids })).toEqual({
      environmentV1: 'http://apim.example.com:8083/management/organizations/DEFAULT/environments/DEFAULT',
      environmentV2: 'http://apim.example.com:8083/management/v2/organizations/DEFAULT/environments/DEFAULT',
      automation: 'http://apim.example.com:8083/automation/organizations/DEFAULT/environments/DEFAULT',
    });
  });

  it('keep a base path and ignore trailing slashes', () => {
    const urls = apimUrls({ baseUrl: 'https://gw.example.com/apim/', ...ids });
    expect(urls.environmentV1).toBe(
      'https://gw.example.com/apim/management/organizations/DEFAULT/environments/DEFAULT',
    );
    expect(urls.automation).toBe('https://gw.example.com/apim/automation/organizations/DEFAULT/environments/DEFAULT');
  });

  it('replace both prefixes with the context path', () => {
    const urls = apimUrls({ baseUrl: 'https://proxy.example.com', path: '/gravitee/api/', ...ids });
    expect(urls.environmentV2).toBe(
      'https://proxy.example.com/gravitee/api/v2/organizations/DEFAULT/environments/DEFAULT',
    );
    expect(urls.automation).toBe('https://proxy.example.com/gravitee/api/organizations/DEFAULT/environments/DEFAULT');
  });

  it('use the Gravitee Cloud prefixes for a cloud context', () => {
    const urls = apimUrls({
      baseUrl: 'https://eu.cloudgate.gravitee.io',
      cloud: true,
      organizationId: 'org-1',
      environmentId: 'env-1',
    });
    expect(urls.environmentV1).toBe(
      'https://eu.cloudgate.gravitee.io/apim/rest/organizations/org-1/environments/env-1',
    );
    expect(urls.automation).toBe(
      'https://eu.cloudgate.gravitee.io/apim/automation/organizations/org-1/environments/env-1',
    );
  });

  it('escape identifiers instead of letting them change the path', () => {
    const urls = apimUrls({ baseUrl: 'http://apim', organizationId: 'a/../b', environmentId: 'x?y' });
    expect(urls.automation).toBe('http://apim/automation/organizations/a%2F..%2Fb/environments/x%3Fy');
  });

  it('refuse a base URL that is not http(s)', () => {
    expect(() => apimUrls({ baseUrl: 'ftp://apim', ...ids })).toThrow(/http or https/);
    expect(() => apimUrls({ baseUrl: 'not a url', ...ids })).toThrow();
  });
});
