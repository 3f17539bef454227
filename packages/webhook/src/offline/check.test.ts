import { CORPUS } from '@gko/api/corpus';
import { describe, expect, it } from 'vitest';
import { checkManifests } from './check.ts';

// The cases of the shared corpus that create an object (updates need the object before, which a set
// of manifests does not have). Gravitee Cloud contexts are read by the mutating webhook first, which
// refuses the corpus' placeholder tokens before the schema is checked, as in a cluster.
const cloud = (c: (typeof CORPUS)[number]) =>
  c.object['kind'] === 'ManagementContext' && !!(c.object['spec'] as { cloud?: unknown } | undefined)?.cloud;
const creates = CORPUS.filter((c) => !c.previous && !cloud(c));

describe('manifests checked offline, on the shared corpus', () => {
  it.each(creates.filter((c) => c.invalidAt).map((c) => [c.name, c] as const))(
    'refuses %s at the field kube-apiserver names',
    async (_name, c) => {
      const [report] = await checkManifests([{ object: c.object }], { namespace: 'default', assumePresent: true });
      expect(report!.refusal).toMatch(/is invalid: /);
      expect([...new Set(report!.findings.filter((f) => f.source === 'schema').map((f) => f.path))]).toEqual([
        c.invalidAt,
      ]);
    },
  );

  it.each(creates.filter((c) => !c.invalidAt).map((c) => [c.name, c] as const))(
    'finds nothing wrong with the schema of %s',
    async (_name, c) => {
      const [report] = await checkManifests([{ object: c.object }], { namespace: 'default', assumePresent: true });
      expect(report!.findings.filter((f) => f.source === 'schema')).toEqual([]);
      expect(report!.stored).toBeDefined();
    },
  );
});

describe('manifests checked offline', () => {
  it('reads Gravitee Cloud contexts with the mutating webhook before the schema, as a cluster does', async () => {
    const cases = CORPUS.filter((c) => !c.previous && cloud(c));
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      const [report] = await checkManifests([{ object: c.object }], { namespace: 'default', assumePresent: true });
      expect(report!.refusal, c.name).toContain('spec.cloud');
      expect(report!.findings.map((f) => f.source)).toEqual(['webhook']);
    }
  });

  it('never asks APIM without a context to ask it through, and asks only that one when given', async () => {
    const context = (name: string) => ({
      apiVersion: 'gravitee.io/v1alpha1',
      kind: 'ManagementContext',
      metadata: { name },
      spec: {
        baseUrl: 'http://127.0.0.1:1',
        organizationId: 'DEFAULT',
        environmentId: 'DEFAULT',
        auth: { bearerToken: 't' },
      },
    });
    const items = [{ object: context('one') }, { object: context('two') }];
    const offline = await checkManifests(items, { namespace: 'ns' });
    expect(offline.flatMap((r) => r.findings)).toEqual([]);
    // Port 1 refuses connections: only the context named is tried, and APIM unreachable is a warning.
    const asked = await checkManifests(items, {
      namespace: 'ns',
      apimContext: { namespace: 'ns', name: 'two' },
      clientOptions: { maxAttempts: 1, timeoutMs: 2_000 },
    });
    expect(asked[0]!.findings).toEqual([]);
    expect(asked[1]!.findings).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'spec.baseUrl', source: 'webhook' }),
    ]);
  });
});
