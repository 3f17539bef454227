import { describe, expect, it } from 'vitest';
import { ApimError, ContextError, UnresolvedReferenceError } from '@gko/mapi';
import {
  classifyFailure,
  InvalidSpecError,
  MissingReferenceError,
  notInApimYet,
  PendingReferenceError,
} from './errors.ts';

describe('a missing reference', () => {
  it('says which field refers to what, in which namespace', () => {
    const error = new MissingReferenceError('spec.contextRef', 'ManagementContext', 'team-a', 'apim');
    expect(error.message).toBe('spec.contextRef: ManagementContext team-a/apim does not exist');
    expect(error.field).toBe('spec.contextRef');
    expect(error.name).toBe('MissingReferenceError');
  });
});

describe('a reference not in APIM yet', () => {
  const api = (ready?: { status: string; reason: string; observedGeneration: number }) => ({
    kind: 'ApiV4Definition',
    metadata: { namespace: 'shop', name: 'orders', generation: 2 },
    ...(ready ? { status: { conditions: [{ type: 'Ready', ...ready }] } } : {}),
  });

  it('is pending while the object is on its way, even after an earlier generation failed', () => {
    for (const target of [api(), api({ status: 'False', reason: 'ApimUnavailable', observedGeneration: 1 })]) {
      const error = notInApimYet('spec.api', target);
      expect(error).toBeInstanceOf(PendingReferenceError);
      expect(error.message).toBe('spec.api: ApiV4Definition shop/orders is not in APIM yet');
    }
  });

  it('is said at once, with the reason, when the object failed to synchronise its current generation', () => {
    const error = notInApimYet(
      'spec.plan',
      api({ status: 'False', reason: 'ApimRejected', observedGeneration: 2 }),
      'has no plan gold in APIM yet',
    );
    expect(error).not.toBeInstanceOf(PendingReferenceError);
    expect(classifyFailure(error).kind).toBe('reference');
    expect(error.message).toBe(
      'spec.plan: ApiV4Definition shop/orders has no plan gold in APIM yet: it failed to synchronise (ApimRejected)',
    );
  });
});

describe('classifying why a reconcile failed', () => {
  it('takes a missing reference for a reference problem', () => {
    const error = new MissingReferenceError('spec.x', 'Secret', 'ns', 'db', 'has no value for the key k');
    expect(classifyFailure(error)).toEqual({ kind: 'reference', reason: 'RefNotFound', message: error.message });
  });

  it('takes a reference the mappings could not resolve for a reference problem', () => {
    const error = new UnresolvedReferenceError('spec.resources[0].ref', 'ApiResource', { namespace: 'ns', name: 'r' });
    expect(classifyFailure(error)).toEqual({
      kind: 'reference',
      reason: 'RefNotFound',
      message: 'spec.resources[0].ref: ApiResource ns/r does not exist',
    });
  });

  it('takes a context whose Secret does not exist for a reference problem', () => {
    const error = new ContextError('spec.auth.secretRef', 'Secret ns/creds does not exist');
    expect(classifyFailure(error)).toEqual({ kind: 'reference', reason: 'RefNotFound', message: error.message });
  });

  it('takes any other context problem for an invalid context, even one mentioning a missing thing mid-sentence', () => {
    const unusable = new ContextError('spec.auth', 'set bearerToken, credentials or secretRef');
    expect(classifyFailure(unusable)).toEqual({ kind: 'invalid', reason: 'InvalidContext', message: unusable.message });
    const midSentence = new ContextError('spec.cloud', 'Secret ns/x does not exist, or so it seems');
    expect(classifyFailure(midSentence).kind).toBe('invalid');
  });

  it('takes an invalid spec for invalid, with its own reason', () => {
    const error = new InvalidSpecError('CompileTemplateError', 'spec.a: bad marker');
    expect(classifyFailure(error)).toEqual({
      kind: 'invalid',
      reason: 'CompileTemplateError',
      message: 'spec.a: bad marker',
    });
  });

  it.each([400, 401])('takes APIM refusing a call with %i as terminal', (status) => {
    const error = new ApimError({ kind: 'http', method: 'PUT', url: 'u', status }, 'm');
    expect(classifyFailure(error)).toEqual({ kind: 'apim', reason: 'ApimRejected', message: 'm', terminal: true });
  });

  it('takes a 403 from APIM as Forbidden, retried: permissions are often granted afterwards', () => {
    const error = new ApimError({ kind: 'http', method: 'PUT', url: 'u', status: 403 }, 'm');
    expect(classifyFailure(error)).toEqual({ kind: 'apim', reason: 'Forbidden', message: 'm', terminal: false });
  });

  it.each([
    ['a 503', { kind: 'http' as const, method: 'PUT', url: 'u', status: 503 }],
    ['a 404', { kind: 'http' as const, method: 'GET', url: 'u', status: 404 }],
    ['a network failure', { kind: 'network' as const, method: 'PUT', url: 'u' }],
    ['a timeout', { kind: 'timeout' as const, method: 'PUT', url: 'u' }],
  ])('takes %s from APIM as worth retrying', (_, details) => {
    const error = new ApimError(details, 'm');
    expect(classifyFailure(error)).toEqual({ kind: 'apim', reason: 'ApimUnavailable', message: 'm', terminal: false });
  });

  it('takes any other error for an unknown reconcile error, keeping its message', () => {
    expect(classifyFailure(new TypeError('x is undefined'))).toEqual({
      kind: 'other',
      reason: 'ReconcileError',
      message: 'x is undefined',
    });
  });

  it('takes a thrown value that is not an Error for an unknown reconcile error, written as a string', () => {
    expect(classifyFailure('plain text')).toEqual({ kind: 'other', reason: 'ReconcileError', message: 'plain text' });
    expect(classifyFailure(42).message).toBe('42');
  });
});
