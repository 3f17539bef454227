import { describe, expect, it } from 'vitest';
import { redactFields, redactText } from './redact.ts';

describe('redaction', () => {
  it('removes known secret values wherever they appear', () => {
    expect(redactText('login with s3cr3t-pass failed for s3cr3t-pass', ['s3cr3t-pass'])).toBe(
      'login with [redacted] failed for [redacted]',
    );
  });

  it('removes credentials in authorization headers and URLs', () => {
    expect(redactText('Authorization: Bearer eyJhbGciOi.abc.def')).toBe('Authorization: Bearer [redacted]');
    expect(redactText('basic YWRtaW46YWRtaW4=')).toBe('basic [redacted]');
    expect(redactText('proxy http://bob:hunter22@proxy.local:3128 refused')).toBe(
      'proxy http://[redacted]@proxy.local:3128 refused',
    );
  });

  it('masks secret-looking JSON fields in text', () => {
    expect(redactText('{"username":"bob","password":"x\\"y","bearerToken":"t"}')).toBe(
      '{"username":"bob","password":"[redacted]","bearerToken":"[redacted]"}',
    );
  });

  it('masks secret-named fields of objects, at any depth, and leaves the rest', () => {
    expect(redactFields({ user: 'bob', auth: { password: 'p', token: 't' }, list: [{ secret: 's', ok: 1 }] })).toEqual({
      user: 'bob',
      auth: { password: '[redacted]', token: '[redacted]' },
      list: [{ secret: '[redacted]', ok: 1 }],
    });
  });

  it('ignores values too short to be secrets', () => {
    expect(redactText('a b c', ['a', ''])).toBe('a b c');
  });
});
