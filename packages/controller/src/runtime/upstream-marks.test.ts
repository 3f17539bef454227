import { describe, expect, it } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../test-support.ts';
import { installDependencyIndexes } from '../dependencies/users.ts';
import { marksToRelease } from './upstream-marks.ts';

const marked = (extra: object = {}) =>
  ({
    kind: 'Secret',
    metadata: {
      namespace: 'ns',
      name: 'creds',
      finalizers: ['finalizers.gravitee.io/templating', 'example.com/keep'],
      annotations: {
        'gravitee.io/apiv4definitions': '["ns/orders"]',
        'gravitee.io/references': '1',
        'example.com/note': 'kept',
      },
      ...extra,
    },
  }) as KubernetesObject;
const reader = {
  kind: 'ApiV4Definition',
  metadata: { namespace: 'ns', name: 'orders' },
  spec: { description: '[[ secret `creds/description` ]]' },
} as KubernetesObject;

function cacheOf(objects: KubernetesObject[]) {
  const cache = new FakeCache(objects);
  installDependencyIndexes(cache);
  return cache;
}

describe("upstream's marks on Secrets and ConfigMaps", () => {
  it('stay while an object of ours still reads the Secret', () => {
    expect(marksToRelease(marked(), cacheOf([reader]))).toBeUndefined();
  });

  it('are released, and only they, once no object reads it', () => {
    expect(marksToRelease(marked(), cacheOf([]))).toEqual({
      finalizers: ['finalizers.gravitee.io/templating'],
      annotations: ['gravitee.io/apiv4definitions', 'gravitee.io/references'],
    });
  });

  it('are released from a Secret being deleted, even if still read', () => {
    expect(marksToRelease(marked({ deletionTimestamp: '2026-01-01T00:00:00Z' }), cacheOf([reader]))).toMatchObject({
      finalizers: ['finalizers.gravitee.io/templating'],
    });
  });

  it('leave objects without marks, and other kinds, alone', () => {
    const plain = { kind: 'Secret', metadata: { namespace: 'ns', name: 'other', finalizers: ['example.com/keep'] } };
    expect(marksToRelease(plain as KubernetesObject, cacheOf([]))).toBeUndefined();
    expect(marksToRelease({ ...marked(), kind: 'ApiResource' }, cacheOf([]))).toBeUndefined();
  });
});
