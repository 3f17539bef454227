// The Kubernetes schema extensions, on a made-up kind that uses each of them.
import { describe, expect, it } from 'vitest';
import type { KindDefinition } from '../kinds/kind.ts';
import { array, freeForm, object, string } from '../schema/index.ts';
import { createValidator } from './validator.ts';

const widget: KindDefinition = {
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  shortNames: [],
  description: 'A test kind.',
  printerColumns: [],
  status: object('Status.', {}),
  spec: object('Spec.', {
    port: { description: 'Port number or name.', 'x-kubernetes-int-or-string': true },
    template: {
      type: 'object',
      description: 'An embedded object.',
      'x-kubernetes-embedded-resource': true,
      'x-kubernetes-preserve-unknown-fields': true,
    },
    config: freeForm('Anything.'),
    note: { type: 'string', description: 'May be null.', nullable: true },
    tags: array('Unique tags.', string('A tag.'), { 'x-kubernetes-list-type': 'set' }),
    ports: array(
      'Ports by name.',
      object('A port.', { name: string('Name.'), number: { type: 'integer', description: 'Number.' } }),
      {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      },
    ),
    at: string('A time.', { format: 'date-time' }),
  }),
};
const validator = createValidator([widget]);
const check = (spec: Record<string, unknown>) =>
  validator.validate({ apiVersion: 'gravitee.io/v1alpha1', kind: 'Widget', metadata: { name: 'w' }, spec });

describe('Kubernetes schema extensions', () => {
  it('int-or-string takes an integer or a string, nothing else', () => {
    expect(check({ port: 8080 }).valid).toBe(true);
    expect(check({ port: 'http' }).valid).toBe(true);
    expect(check({ port: 1.5 }).errors.map((e) => e.path)).toEqual(['spec.port']);
    expect(check({ port: true }).errors.map((e) => e.path)).toEqual(['spec.port']);
  });

  it('an embedded resource needs apiVersion and kind, and keeps its other fields', () => {
    expect(check({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } } }).valid).toBe(
      true,
    );
    expect(check({ template: { kind: 'Pod' } }).errors.map((e) => e.path)).toEqual(['spec.template.apiVersion']);
  });

  it('preserve-unknown-fields keeps any field; elsewhere unknown fields are errors', () => {
    expect(check({ config: { anything: { goes: [1, 'two'] } } }).valid).toBe(true);
    expect(check({ colour: 'red' }).messages).toEqual(['unknown field "spec.colour"']);
  });

  it('null is a value only where the schema is nullable', () => {
    expect(check({ note: null }).object?.['spec']).toEqual({ note: null });
    expect(check({ at: null }).object?.['spec']).toEqual({});
  });

  it('list types set and map refuse duplicates', () => {
    expect(check({ tags: ['a', 'b'] }).valid).toBe(true);
    expect(check({ tags: ['a', 'a'] }).errors).toEqual([{ path: 'spec.tags[1]', type: 'Duplicate', detail: '"a"' }]);
    expect(
      check({
        ports: [
          { name: 'http', number: 80 },
          { name: 'http', number: 81 },
        ],
      }).errors.map((e) => e.path),
    ).toEqual(['spec.ports[1]']);
  });

  it('date-time is RFC 3339 with seconds and a zone, as kube-apiserver checks it', () => {
    for (const ok of ['2026-01-31T23:59:59Z', '2026-01-31t23:59:59.123z', '2026-01-31T23:59:59+02:00'])
      expect(check({ at: ok }).valid, ok).toBe(true);
    for (const bad of ['2026-01-31', '2026-01-31T23:59Z', '2026-02-30T10:00:00Z', '2026-01-31T23:59:59', 'soon']) {
      expect(
        check({ at: bad }).errors.map((e) => e.path),
        bad,
      ).toEqual(['spec.at']);
    }
  });

  it('kind, apiVersion and metadata are checked first', () => {
    expect(
      validator.validate({ apiVersion: 'gravitee.io/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} }).errors[0]
        ?.path,
    ).toBe('apiVersion');
    expect(
      validator.validate({ apiVersion: 'gravitee.io/v1alpha1', kind: 'Gadget', metadata: { name: 'w' }, spec: {} })
        .errors[0]?.path,
    ).toBe('kind');
    expect(
      validator.validate({ apiVersion: 'gravitee.io/v1alpha1', kind: 'Widget', metadata: {}, spec: {} }).errors[0]
        ?.path,
    ).toBe('metadata.name');
    expect(validator.validate('not an object').valid).toBe(false);
  });
});
