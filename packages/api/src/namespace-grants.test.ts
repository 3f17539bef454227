import { describe, expect, it } from 'vitest';
import { READ_GRANT_ANNOTATION, grantsReadTo, refusedReferences, unreadableMessage } from './namespace-grants.ts';

const annotated = (grant?: string) => ({
  metadata: { namespace: 'owner', ...(grant === undefined ? {} : { annotations: { [READ_GRANT_ANNOTATION]: grant } }) },
});

describe('reads across namespaces', () => {
  it('are allowed in the same namespace, and elsewhere only where the grant lists the reader', () => {
    expect(grantsReadTo(annotated(), 'owner', 'owner')).toBe(true);
    expect(grantsReadTo(undefined, 'owner', 'owner')).toBe(true);
    expect(grantsReadTo(annotated(), 'owner', 'tenant')).toBe(false);
    expect(grantsReadTo(undefined, 'owner', 'tenant')).toBe(false);
    expect(grantsReadTo(annotated('other, tenant'), 'owner', 'tenant')).toBe(true);
    expect(grantsReadTo(annotated('tenant-b'), 'owner', 'tenant')).toBe(false);
    expect(grantsReadTo(annotated('*'), 'owner', 'tenant')).toBe(true);
  });

  it('are refused with the same words whether the Secret exists or not', () => {
    expect(unreadableMessage('Secret', 'owner', 'creds', 'tenant')).toBe(
      `Secret owner/creds cannot be read from namespace tenant: objects only read Secrets and ConfigMaps of their own namespace, unless the Secret lists tenant in its annotation ${READ_GRANT_ANNOTATION}`,
    );
  });
});

describe('references to objects of ours in other namespaces', () => {
  const context = { kind: 'ManagementContext', namespace: 'owner', name: 'apim' };
  it('are allowed without an annotation (as upstream), and restricted to the namespaces one lists', () => {
    expect(refusedReferences([context], 'tenant', () => annotated())).toEqual([]);
    expect(refusedReferences([context], 'tenant', () => annotated('tenant'))).toEqual([]);
    expect(refusedReferences([context], 'tenant', () => annotated('someone-else'))).toEqual([
      `ManagementContext owner/apim does not let objects of namespace tenant refer to it: its annotation ${READ_GRANT_ANNOTATION} does not list tenant`,
    ]);
    expect(refusedReferences([context], 'owner', () => annotated('someone-else'))).toEqual([]);
  });

  it('leave Secrets and ConfigMaps to their readers', () => {
    const secret = { kind: 'Secret', namespace: 'owner', name: 'creds' };
    expect(refusedReferences([secret], 'tenant', () => annotated('someone-else'))).toEqual([]);
  });
});
