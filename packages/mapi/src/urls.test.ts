import { describe, expect, it } from 'vitest';
import { apimRoots, environmentPath } from './urls.ts';

describe('APIM URLs', () => {
  it('use /management and /automation under a self-hosted base URL', () => {
    expect(apimRoots({ baseUrl: 'http://apim.example.com:8083' })).toEqual({
      management: 'http://apim.example.com:8083/management',
      managementV2: 'http://apim.example.com:8083/management/v2',
      automation: 'http://apim.example.com:8083/automation',
    });
  });

  it('keep a base path and ignore trailing slashes', () => {
    expect(apimRoots({ baseUrl: 'https://gw.example.com/apim/' }).automation).toBe(
      'https://gw.example.com/apim/automation',
    );
  });

  it('replace both prefixes with the context path', () => {
    expect(apimRoots({ baseUrl: 'https://proxy.example.com', path: '/gravitee/api/' })).toEqual({
      management: 'https://proxy.example.com/gravitee/api',
      managementV2: 'https://proxy.example.com/gravitee/api/v2',
      automation: 'https://proxy.example.com/gravitee/api',
    });
  });

  it('use the Gravitee Cloud prefixes for a cloud context', () => {
    expect(apimRoots({ baseUrl: 'https://eu.cloudgate.gravitee.io', cloud: true })).toEqual({
      management: 'https://eu.cloudgate.gravitee.io/apim/rest',
      managementV2: 'https://eu.cloudgate.gravitee.io/apim/rest/v2',
      automation: 'https://eu.cloudgate.gravitee.io/apim/automation',
    });
  });

  it('escape identifiers instead of letting them change the path', () => {
    expect(environmentPath('a/../b', 'x?y')).toBe('/organizations/a%2F..%2Fb/environments/x%3Fy');
  });

  it('refuse a base URL that is not http(s)', () => {
    expect(() => apimRoots({ baseUrl: 'ftp://apim' })).toThrow(/http or https/);
    expect(() => apimRoots({ baseUrl: 'not a url' })).toThrow(/is not a URL/);
  });
});
