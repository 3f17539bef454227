import { describe, expect, it } from 'vitest';
import { KINDS } from '../registry.ts';
import type { Schema } from '../schema/index.ts';
import { customResourceDefinition, objectSchema } from './crd.ts';

function* nodes(schema: Schema, path: string): Generator<[string, Schema]> {
  yield [path, schema];
  for (const [name, child] of Object.entries(schema.properties ?? {})) yield* nodes(child, `${path}.${name}`);
  if (schema.items) yield* nodes(schema.items, `${path}[]`);
  if (schema.additionalProperties) yield* nodes(schema.additionalProperties, `${path}{}`);
}

/** Resolves a printer-column JSONPath such as .spec.proxy.groups[*].endpoints[*].target in a schema. */
function resolveColumn(schema: Schema, jsonPath: string): Schema | undefined {
  let node: Schema | undefined = schema;
  for (const part of jsonPath
    .replace(/\[\?\(.*?\)\]/g, '[*]')
    .split('.')
    .filter(Boolean)) {
    const name = part.replace('[*]', '');
    node = node?.properties?.[name];
    if (part.endsWith('[*]')) node = node?.items;
  }
  return node;
}

describe.each(KINDS.map((k) => [k.kind, k] as const))('the CRD of %s', (_kind, kind) => {
  const schema = objectSchema(kind);

  it('gives every field a type and a description, for kubectl explain', () => {
    const missing = [...nodes(schema, kind.kind)]
      .filter(([path]) => path !== `${kind.kind}.metadata`)
      .filter(([, node]) => !node.description || (!node.type && !node['x-kubernetes-int-or-string']))
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('only requires fields it declares', () => {
    for (const [path, node] of nodes(schema, kind.kind)) {
      for (const name of node.required ?? []) expect(node.properties?.[name], `${path}.${name}`).toBeDefined();
    }
  });

  it('shows printer columns that point at fields of the schema', () => {
    // kube-apiserver owns metadata, which the CRD schema does not describe.
    const columns = kind.printerColumns.filter((c) => !c.jsonPath.startsWith('.metadata.'));
    for (const column of columns) expect(resolveColumn(schema, column.jsonPath), column.jsonPath).toBeDefined();
  });

  it('reports CEL errors on fields that exist', () => {
    for (const [path, node] of nodes(schema, kind.kind)) {
      for (const rule of node['x-kubernetes-validations'] ?? []) {
        if (rule.fieldPath) expect(resolveColumn(node, rule.fieldPath), `${path} ${rule.fieldPath}`).toBeDefined();
      }
    }
  });

  it('is namespaced, in the gravitee category, with a status subresource and nothing only our generators read', () => {
    const crd = customResourceDefinition(kind) as {
      spec: { scope: string; names: { categories: string[] }; versions: { subresources: unknown }[] };
    };
    expect(crd.spec.scope).toBe('Namespaced');
    expect(crd.spec.names.categories).toEqual(['gravitee']);
    expect(crd.spec.versions[0]?.subresources).toEqual({ status: {} });
    expect(JSON.stringify(crd)).not.toContain('x-gko-type');
  });
});
