import { describe, expect, it } from 'vitest';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { dropManagedFields } from './transform.ts';

describe('dropManagedFields', () => {
  it('removes metadata.managedFields and keeps everything else, without touching its input', () => {
    const object: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'b', labels: { x: 'y' }, managedFields: [{ manager: 'kubectl' }] },
      data: { k: 'v' },
    };
    expect(dropManagedFields(object)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'b', labels: { x: 'y' } },
      data: { k: 'v' },
    });
    expect(object.metadata?.managedFields).toHaveLength(1);
  });

  it('gives back the same object when there is nothing to drop', () => {
    const object: V1ConfigMap = { metadata: { name: 'a' } };
    expect(dropManagedFields(object)).toBe(object);
  });
});
