import { describe, expect, it } from 'vitest';
import { isGraviteeObject } from './group.ts';
import { referenceKey, resolveReference, sameReference } from './references.ts';

describe('references between resources', () => {
  it('resolve in the namespace of the referring object when none is given', () => {
    expect(resolveReference({ name: 'dev-ctx' }, 'team-a')).toEqual({ name: 'dev-ctx', namespace: 'team-a' });
    expect(resolveReference({ name: 'dev-ctx', namespace: '' }, 'team-a')).toEqual({
      name: 'dev-ctx',
      namespace: 'team-a',
    });
  });

  it('may point to another namespace and keep their kind', () => {
    expect(resolveReference({ name: 'ctx', namespace: 'shared', kind: 'ManagementContext' }, 'team-a')).toEqual({
      name: 'ctx',
      namespace: 'shared',
      kind: 'ManagementContext',
    });
    expect(referenceKey({ name: 'ctx', namespace: 'shared' }, 'team-a')).toBe('shared/ctx');
  });

  it('are the same when they resolve to the same object, whichever way they are written', () => {
    expect(sameReference({ name: 'ctx' }, 'team-a', { name: 'ctx', namespace: 'team-a' }, 'team-b')).toBe(true);
    expect(sameReference({ name: 'ctx' }, 'team-a', { name: 'ctx' }, 'team-b')).toBe(false);
  });
});

describe('gravitee objects', () => {
  it('are recognised by their apiVersion', () => {
    expect(isGraviteeObject({ apiVersion: 'gravitee.io/v1alpha1', kind: 'ApiV4Definition' })).toBe(true);
    expect(isGraviteeObject({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe(false);
    expect(isGraviteeObject({ apiVersion: 'gravitee.io/v1beta1', kind: 'ApiV4Definition' })).toBe(false);
  });
});

describe('kind folders', () => {
  it('are the kebab-case kind names used in every package', async () => {
    const { KINDS } = await import('./registry.ts');
    const { kindFolder } = await import('./kinds/kind.ts');
    expect(KINDS.map((k) => kindFolder(k.kind))).toEqual([
      'management-context',
      'api-definition',
      'api-v4-definition',
      'api-resource',
      'application',
      'subscription',
      'shared-policy-group',
      'group',
      'notification',
      'dictionary',
      'portal',
      'portal-link',
      'portal-listing',
      'documentation',
    ]);
  });
});
