// Our own examples apply as written and read back whole.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { API_VERSION } from '@gko/api';
import { examples } from '@gko/api/corpus';
import { apply, createNamespace, deleteNamespace, getObject, installCrds, missingFields } from '../../src/index.ts';

const cluster = inject('controlPlane');
let namespace = '';

beforeAll(async () => {
  await installCrds(cluster);
  namespace = await createNamespace(cluster, 'examples');
});
afterAll(() => deleteNamespace(cluster, namespace));

describe('our examples', () => {
  it.each(examples().map((e) => [e.file, e] as const))('%s applies and reads back whole', async (_file, example) => {
    const result = await apply(cluster, namespace, example.objects);
    expect(result.stderr).toBe('');
    for (const object of example.objects.filter((o) => o['apiVersion'] === API_VERSION)) {
      const name = (object['metadata'] as { name: string }).name;
      const stored = await getObject(cluster, namespace, String(object['kind']), name);
      expect(missingFields(object['spec'], stored['spec'], 'spec')).toEqual([]);
    }
  });
});
