import { describe, expect, it } from 'vitest';
import { READ_GRANT_ANNOTATION } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import { FakeCache } from '../test-support.ts';
import { installDependencyIndexes } from '../dependencies/users.ts';
import { CREDENTIALS_FINALIZER, markChanges } from './source-marks.ts';

const DELETING = { deletionTimestamp: '2026-01-01T00:00:00Z' };

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
const context = (extra: object = {}) =>
  ({
    kind: 'ManagementContext',
    metadata: { namespace: 'ns', name: 'apim', ...extra },
    spec: { auth: { secretRef: { name: 'creds' } } },
  }) as KubernetesObject;
const credentials = (finalizers: string[], extra: object = {}) =>
  ({ kind: 'Secret', metadata: { namespace: 'ns', name: 'creds', finalizers, ...extra } }) as KubernetesObject;

function cacheOf(objects: KubernetesObject[]) {
  const cache = new FakeCache(objects);
  installDependencyIndexes(cache);
  return cache;
}

describe("upstream's marks on Secrets and ConfigMaps", () => {
  it('stay while an object of ours still reads the Secret', () => {
    expect(markChanges(marked(), cacheOf([reader]))).toBeUndefined();
  });

  it('are released, and only they, once no object reads it', () => {
    expect(markChanges(marked(), cacheOf([]))).toEqual({
      add: [],
      finalizers: ['finalizers.gravitee.io/templating'],
      annotations: ['gravitee.io/apiv4definitions', 'gravitee.io/references'],
    });
  });

  it('are released from a Secret being deleted, even if still read', () => {
    expect(markChanges(marked(DELETING), cacheOf([reader]))).toMatchObject({
      finalizers: ['finalizers.gravitee.io/templating'],
    });
  });

  it('leave objects without marks, and other kinds, alone', () => {
    const plain = { kind: 'Secret', metadata: { namespace: 'ns', name: 'other', finalizers: ['example.com/keep'] } };
    expect(markChanges(plain as KubernetesObject, cacheOf([]))).toBeUndefined();
    expect(markChanges({ ...marked(), kind: 'ApiResource' }, cacheOf([]))).toBeUndefined();
  });
});

describe('the credentials of a ManagementContext', () => {
  it('are held by a finalizer while a context names them', () => {
    expect(markChanges(credentials([]), cacheOf([context()]))).toEqual({
      add: [CREDENTIALS_FINALIZER],
      finalizers: [],
      annotations: [],
    });
    expect(markChanges(credentials([CREDENTIALS_FINALIZER]), cacheOf([context()]))).toBeUndefined();
  });

  it('stay held while being deleted, as long as the context exists, even a context being deleted', () => {
    const cache = cacheOf([context(DELETING)]);
    expect(markChanges(credentials([CREDENTIALS_FINALIZER], DELETING), cache)).toBeUndefined();
  });

  it('are released once no context names them, even while another object reads them', () => {
    const released = { add: [], finalizers: [CREDENTIALS_FINALIZER], annotations: [] };
    expect(markChanges(credentials([CREDENTIALS_FINALIZER], DELETING), cacheOf([]))).toEqual(released);
    expect(markChanges(credentials([CREDENTIALS_FINALIZER]), cacheOf([reader]))).toEqual(released);
  });

  it('are not held by a context of another namespace that may not read them', () => {
    const elsewhere = {
      kind: 'ManagementContext',
      metadata: { namespace: 'other', name: 'apim' },
      spec: { auth: { secretRef: { name: 'creds', namespace: 'ns' } } },
    } as KubernetesObject;
    expect(markChanges(credentials([]), cacheOf([elsewhere]))).toBeUndefined();
    const granted = credentials([], { annotations: { [READ_GRANT_ANNOTATION]: 'other' } });
    expect(markChanges(granted, cacheOf([elsewhere]))).toMatchObject({ add: [CREDENTIALS_FINALIZER] });
  });
});
