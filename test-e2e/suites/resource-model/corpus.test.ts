// The validator and kube-apiserver agree: the same corpus, the same verdicts, the same fields.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createValidator } from '@gko/api/validation';
import { CORPUS } from '@gko/api/corpus';
import { apply, createNamespace, deleteNamespace, getObject, installCrds } from '../../src/index.ts';

const cluster = inject('controlPlane');
const validator = createValidator();
let namespace = '';

beforeAll(async () => {
  await installCrds(cluster);
  namespace = await createNamespace(cluster, 'corpus');
  const previous = CORPUS.flatMap((c) => (c.previous ? [c.previous] : []));
  const result = await apply(cluster, namespace, previous);
  expect(result.stderr).toBe('');
});
afterAll(() => deleteNamespace(cluster, namespace));

describe('kube-apiserver with our CRDs, on the corpus', () => {
  it.each(CORPUS.filter((c) => !c.invalidAt).map((c) => [c.name, c] as const))(
    'accepts %s and stores it as the validator predicts',
    async (_name, c) => {
      const result = await apply(cluster, namespace, c.object);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const stored = await getObject(cluster, namespace, String(c.object['kind']), c.name);
      expect(stored['spec']).toEqual(validator.validate(c.object, c.previous).object?.['spec']);
    },
  );

  it.each(CORPUS.filter((c) => c.invalidAt).map((c) => [c.name, c] as const))(
    'rejects %s, naming the field the validator names',
    async (_name, c) => {
      const result = await apply(cluster, namespace, c.object);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(c.invalidAt);
      expect(validator.validate(c.object, c.previous).errors.map((e) => e.path)).toContain(c.invalidAt);
    },
  );
});
