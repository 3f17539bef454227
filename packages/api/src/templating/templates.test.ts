import { describe, expect, it } from 'vitest';
import { compileTemplates, hasTemplates, templateReferences } from './templates.ts';

const spec = {
  plans: { free: { security: { type: '[[ secret `api-secrets/security` ]]' } } },
  endpointGroups: [
    {
      endpoints: [
        { configuration: { target: 'https://[[ configmap "settings/host" ]]:[[configmap `settings/port`]]/v1' } },
      ],
    },
  ],
  version: '1.0',
};

describe('templates in specs', () => {
  it('are found with the field that holds them', () => {
    expect(templateReferences(spec).references).toEqual([
      { source: 'secret', name: 'api-secrets', key: 'security', path: 'spec.plans.free.security.type' },
      {
        source: 'configmap',
        name: 'settings',
        key: 'host',
        path: 'spec.endpointGroups[0].endpoints[0].configuration.target',
      },
      {
        source: 'configmap',
        name: 'settings',
        key: 'port',
        path: 'spec.endpointGroups[0].endpoints[0].configuration.target',
      },
    ]);
    expect(hasTemplates(spec)).toBe(true);
    expect(hasTemplates({ version: '1.0' })).toBe(false);
  });

  it('are replaced by the values read, anywhere in a string', () => {
    const values: Record<string, string> = {
      'secret api-secrets security': 'API_KEY',
      'configmap settings host': 'orders.internal',
      'configmap settings port': '8443',
    };
    const { value, missing } = compileTemplates(spec, (r) => values[`${r.source} ${r.name} ${r.key}`]);
    expect(missing).toEqual([]);
    expect(value.plans.free.security.type).toBe('API_KEY');
    expect(value.endpointGroups[0]!.endpoints[0]!.configuration.target).toBe('https://orders.internal:8443/v1');
  });

  it('are left in place and listed when their value is missing or empty', () => {
    const { value, missing } = compileTemplates(spec, (r) =>
      r.key === 'host' ? '' : r.key === 'port' ? '80' : undefined,
    );
    expect(missing.map((m) => `${m.source}:${m.name}/${m.key}`)).toEqual([
      'secret:api-secrets/security',
      'configmap:settings/host',
    ]);
    expect(value.plans.free.security.type).toBe('[[ secret `api-secrets/security` ]]');
  });

  it('that the operator cannot read are reported with their field', () => {
    const { problems } = templateReferences({ a: '[[ env `HOME` ]]', b: '[[ secret `no-key` ]]' });
    expect(problems.map((p) => p.path)).toEqual(['spec.a', 'spec.b']);
    expect(problems[0]!.message).toContain('is not a template the operator knows');
    expect(problems[1]!.message).toContain('takes "name/key"');
  });
});

describe('compiling templates', () => {
  it('copies only what it changes, and nothing when there is no template', () => {
    const value = { a: { deep: ['x'] }, b: { t: '[[ secret `s/k` ]]' } };
    const { value: compiled } = compileTemplates(value, () => 'v');
    expect(compiled.b.t).toBe('v');
    expect(compiled.a).toBe(value.a);
    expect(value.b.t).toBe('[[ secret `s/k` ]]');
    expect(compileTemplates(value.a, () => 'v').value).toBe(value.a);
  });
});
