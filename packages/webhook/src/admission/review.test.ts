import { describe, expect, it } from 'vitest';
import { parseAdmissionReview, reviewResponse } from './review.ts';

const review = (request: Record<string, unknown>) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request,
});
const base = {
  uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
  kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ApiV4Definition' },
  operation: 'CREATE',
  name: 'orders',
  namespace: 'team-a',
  object: { metadata: { name: 'orders' } },
  userInfo: { username: 'alice' },
};

describe('AdmissionReview requests', () => {
  it('are read into the fields the rules use', () => {
    const parsed = parseAdmissionReview(review({ ...base, dryRun: true }));
    expect(parsed).toEqual({
      ok: true,
      request: {
        uid: base.uid,
        kind: base.kind,
        operation: 'CREATE',
        name: 'orders',
        namespace: 'team-a',
        object: { metadata: { name: 'orders' } },
        oldObject: undefined,
        dryRun: true,
        user: 'alice',
      },
    });
  });

  it.each([
    ['a body that is not an object', 'nope', /JSON object/],
    [
      'another API version',
      { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: base },
      /admission.k8s.io\/v1/,
    ],
    ['a review without request', { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview' }, /no request/],
    ['a request without uid', review({ ...base, uid: '' }), /request.uid/],
    ['an unknown operation', review({ ...base, operation: 'PATCH' }), /request.operation/],
    ['a request without kind', review({ ...base, kind: 'ApiV4Definition' }), /request.kind/],
    ['an object that is not an object', review({ ...base, object: [1] }), /request.object/],
  ])('are refused with a reason when they are %s', (_case, body, reason) => {
    const parsed = parseAdmissionReview(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toMatch(reason);
  });
});

describe('AdmissionReview responses', () => {
  it('echo the uid and allow, with warnings', () => {
    expect(reviewResponse('u1', { allowed: true, warnings: ['category x is unknown'] })).toEqual({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u1', allowed: true, warnings: ['category x is unknown'] },
    });
  });

  it('deny with a status that kubectl prints', () => {
    const response = reviewResponse('u2', {
      allowed: false,
      message: 'spec.plans: a started API needs a plan',
    }).response;
    expect(response).toEqual({
      uid: 'u2',
      allowed: false,
      status: { code: 403, message: 'spec.plans: a started API needs a plan', reason: 'Forbidden' },
    });
  });

  it('carry a JSON patch base64-encoded', () => {
    const patch = [{ op: 'add' as const, path: '/spec/baseUrl', value: 'https://eu.cloudgate.gravitee.io' }];
    const response = reviewResponse('u3', { allowed: true, patch }).response as Record<string, string>;
    expect(response['patchType']).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(response['patch']!, 'base64').toString())).toEqual(patch);
  });
});
