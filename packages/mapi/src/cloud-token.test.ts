import { describe, expect, it } from 'vitest';
import { cloudLocation, parseCloudToken } from './cloud-token.ts';

const jwt = (claims: unknown) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('Gravitee Cloud tokens', () => {
  it('give the organization, environments and geography', () => {
    expect(parseCloudToken(jwt({ org: 'o-1', envs: ['e-1', 'e-2'], cpg: 'eu' }))).toEqual({
      organizationId: 'o-1',
      environments: ['e-1', 'e-2'],
      geography: 'eu',
    });
  });

  it('say which claims are missing, and never repeat the token', () => {
    const token = jwt({ org: 'o-1', sub: 'secret-subject' });
    expect(() => parseCloudToken(token)).toThrow('the cloud token lacks the claims envs, cpg');
    try {
      parseCloudToken(token);
    } catch (error) {
      expect((error as Error).message).not.toContain(token);
    }
  });

  it('refuse what is not a JWT', () => {
    expect(() => parseCloudToken('opaque-token')).toThrow(/not a JWT/);
    expect(() => parseCloudToken('a.!!!.c')).toThrow(/not JSON/);
    expect(() => parseCloudToken(jwt({ org: 'o', envs: ['e'], cpg: 'eu.evil.com/x' }))).toThrow(/geography/);
  });

  it('locate the single environment of a token', () => {
    expect(cloudLocation({ organizationId: 'o-1', environments: ['e-1'], geography: 'us' })).toEqual({
      baseUrl: 'https://us.cloudgate.gravitee.io',
      organizationId: 'o-1',
      environmentId: 'e-1',
    });
  });

  it('need the environment to be named when the token grants several, and to be one of them', () => {
    const claims = { organizationId: 'o-1', environments: ['e-1', 'e-2'], geography: 'eu' };
    expect(() => cloudLocation(claims)).toThrow(/set environmentId to one of e-1, e-2/);
    expect(cloudLocation(claims, 'e-2').environmentId).toBe('e-2');
    expect(() => cloudLocation(claims, 'e-3')).toThrow(/not one the cloud token grants/);
  });
});
