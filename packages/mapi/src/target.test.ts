import { describe, expect, it } from 'vitest';
import { ContextError, resolveTarget, secretsOf, type SecretReader } from './target.ts';

const secrets: Record<string, Record<string, string>> = {
  'team-a/token': { bearerToken: 'tok-123456' },
  'team-a/basic': { username: 'bot', password: 'pw-123456' },
  'team-a/empty': { other: 'x' },
  'shared/cloud': {
    cloudToken: `e30.${Buffer.from(JSON.stringify({ org: 'o-1', envs: ['e-1'], cpg: 'eu' })).toString('base64url')}.c2ln`,
  },
};
const read: SecretReader = (ns, name) => secrets[`${ns}/${name}`];
const context = (spec: Record<string, unknown>) => ({ metadata: { name: 'apim', namespace: 'team-a' }, spec });
const base = { baseUrl: 'http://apim:8083', organizationId: 'DEFAULT', environmentId: 'DEFAULT' };

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContextError) return error.field;
    throw error;
  }
  return 'no error';
}

describe('resolving a ManagementContext', () => {
  it('prefers a bearer token to credentials', () => {
    const target = resolveTarget(
      context({ ...base, auth: { bearerToken: 'tok', credentials: { username: 'u', password: 'p' } } }),
      read,
    );
    expect(target.credentials).toEqual({ kind: 'bearer', token: 'tok' });
    expect(target).toMatchObject({ context: 'team-a/apim', baseUrl: 'http://apim:8083', cloud: false });
  });

  it('reads a bearer token, or a user name and password, from the referenced Secret', () => {
    expect(resolveTarget(context({ ...base, auth: { secretRef: { name: 'token' } } }), read).credentials).toEqual({
      kind: 'bearer',
      token: 'tok-123456',
    });
    expect(resolveTarget(context({ ...base, auth: { secretRef: { name: 'basic' } } }), read).credentials).toEqual({
      kind: 'basic',
      username: 'bot',
      password: 'pw-123456',
    });
  });

  it('names the field at fault when a Secret is missing or incomplete', () => {
    expect(fieldOf(() => resolveTarget(context({ ...base, auth: { secretRef: { name: 'nope' } } }), read))).toBe(
      'spec.auth.secretRef',
    );
    expect(() => resolveTarget(context({ ...base, auth: { secretRef: { name: 'empty' } } }), read)).toThrow(
      /team-a\/empty has neither/,
    );
    expect(fieldOf(() => resolveTarget(context({ ...base }), read))).toBe('spec.auth');
    expect(
      fieldOf(() =>
        resolveTarget(context({ organizationId: 'o', environmentId: 'e', auth: { bearerToken: 't' } }), read),
      ),
    ).toBe('spec.baseUrl');
    const notHttp = () =>
      resolveTarget(context({ ...base, baseUrl: 'ldap://secret-host', auth: { bearerToken: 't' } }), read);
    expect(fieldOf(notHttp)).toBe('spec.baseUrl');
    expect(notHttp).not.toThrow(/secret-host/);
  });

  it('derives the URL, organization and environment of a cloud context from its token', () => {
    const target = resolveTarget(context({ cloud: { secretRef: { name: 'cloud', namespace: 'shared' } } }), read);
    expect(target).toMatchObject({
      baseUrl: 'https://eu.cloudgate.gravitee.io',
      organizationId: 'o-1',
      environmentId: 'e-1',
      cloud: true,
    });
    expect(target.credentials).toEqual({ kind: 'bearer', token: secrets['shared/cloud']!['cloudToken'] });
  });

  it('reports a bad cloud token on spec.cloud', () => {
    expect(fieldOf(() => resolveTarget(context({ cloud: { token: 'opaque' } }), read))).toBe('spec.cloud');
    expect(fieldOf(() => resolveTarget(context({ cloud: { secretRef: { name: 'token' } } }), read))).toBe(
      'spec.cloud.secretRef',
    );
  });

  it('lists the secret values to keep out of logs, including the encoded basic header', () => {
    const target = resolveTarget(
      context({ ...base, auth: { credentials: { username: 'bot', password: 'pw' } } }),
      read,
    );
    expect(secretsOf(target)).toEqual(['pw', Buffer.from('bot:pw').toString('base64')]);
  });
});
