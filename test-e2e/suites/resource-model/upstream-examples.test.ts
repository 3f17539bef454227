// Manifests written for the upstream operator apply unchanged, and nothing in them is lost.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { UPSTREAM_INVALID_EXAMPLES, upstreamExamples, upstreamReferenceDir } from '@gko/api/corpus';
import { apply, createNamespace, deleteNamespace, installCrds, kubectlOk, missingFields } from '../../src/index.ts';

const cluster = inject('controlPlane');
const dir = upstreamReferenceDir();
if (!dir) console.warn('upstream examples (../shared/reference/gko) not found: skipping the upstream examples suite');

const examples = (dir ? upstreamExamples(dir) : []).map((example, index) => {
  // Each gets a unique name in our namespace; the rest of the manifest is untouched.
  const { namespace: _namespace, ...metadata } = example.object['metadata'] as Record<string, unknown>;
  const object: Record<string, unknown> = { ...example.object, metadata: { ...metadata, name: `upstream-${index}` } };
  return { ...example, name: `upstream-${index}`, object };
});
let namespace = '';

describe.skipIf(!dir)('the upstream examples, applied with server-side apply', () => {
  beforeAll(async () => {
    await installCrds(cluster);
    namespace = await createNamespace(cluster, 'upstream');
  });
  afterAll(() => deleteNamespace(cluster, namespace));

  it.each(
    examples
      .filter((e) => !UPSTREAM_INVALID_EXAMPLES[e.file])
      .map((e) => [`${e.file} (${String(e.object['kind'])})`, e] as const),
  )('accepts %s and loses no field', async (_label, example) => {
    const result = await apply(cluster, namespace, example.object, { serverSide: true });
    expect(result.stderr).toBe('');
    const kind = `${String(example.object['kind']).toLowerCase()}.gravitee.io`;
    const stored = JSON.parse(
      await kubectlOk(cluster, ['get', kind, example.name, '-n', namespace, '-o', 'json']),
    ) as Record<string, unknown>;
    expect(missingFields(example.object['spec'], stored['spec'], 'spec')).toEqual([]);
    expect(
      missingFields(
        (example.object['metadata'] as Record<string, unknown>)['annotations'],
        (stored['metadata'] as Record<string, unknown>)['annotations'],
      ),
    ).toEqual([]);
  });

  it.each(examples.filter((e) => UPSTREAM_INVALID_EXAMPLES[e.file]).map((e) => [e.file, e] as const))(
    'rejects %s, which is invalid on purpose',
    async (file, example) => {
      const result = await apply(cluster, namespace, example.object, { serverSide: true });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(UPSTREAM_INVALID_EXAMPLES[file]);
    },
  );
});
