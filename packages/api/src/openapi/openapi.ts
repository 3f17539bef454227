// An OpenAPI document of every kind, made from the same schemas as the CRDs, from which the
// TypeScript types are generated. Schemas named with x-gko-type become shared components.
import { isDeepStrictEqual } from 'node:util';
import { API_VERSION } from '../group.ts';
import type { KindDefinition } from '../kinds/kind.ts';
import type { Schema } from '../schema/index.ts';

type OpenApiSchema = Record<string, unknown>;

const objectMeta: OpenApiSchema = {
  type: 'object',
  description: 'The part of the standard object metadata the operator reads and writes.',
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          name: { type: 'string' },
          uid: { type: 'string' },
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
    },
  },
};

/** Removes descriptions, so that two uses of a named schema can be compared by structure. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'description')
        .map(([k, v]) => [k, withoutDescriptions(v)]),
    );
  }
  return value;
}

class ComponentCollector {
  readonly components: Record<string, OpenApiSchema> = {};
  private readonly shapes = new Map<string, unknown>();

  /** The schema as OpenAPI, with named parts replaced by references to components. */
  convert(schema: Schema): OpenApiSchema {
    const name = schema['x-gko-type'];
    const converted = this.convertNode(schema);
    if (!name) return converted;
    const shape = withoutDescriptions(converted);
    const known = this.shapes.get(name);
    if (known === undefined) {
      this.shapes.set(name, shape);
      this.components[name] = converted;
    } else if (!isDeepStrictEqual(known, shape)) {
      throw new Error(`two different schemas are named ${name}`);
    }
    return { $ref: `#/components/schemas/${name}` };
  }

  private convertNode(schema: Schema): OpenApiSchema {
    const out: OpenApiSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key.startsWith('x-')) continue;
      if (key === 'properties') {
        out[key] = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([n, child]) => [n, this.convert(child)]),
        );
      } else if (key === 'items' || key === 'additionalProperties') {
        out[key] = this.convert(value as Schema);
      } else if (key === 'anyOf') {
        out[key] = (value as Schema[]).map((s) => this.convert(s));
      } else {
        out[key] = value;
      }
    }
    // Kept as given by the API server: any fields, any values.
    if (schema['x-kubernetes-preserve-unknown-fields']) out['additionalProperties'] = true;
    if (schema['x-kubernetes-int-or-string']) out['anyOf'] = [{ type: 'integer' }, { type: 'string' }];
    return out;
  }
}

export function openApiDocument(kinds: readonly KindDefinition[]): Record<string, unknown> {
  const collector = new ComponentCollector();
  const schemas: Record<string, OpenApiSchema> = { ObjectMeta: objectMeta };
  for (const kind of kinds) {
    schemas[`${kind.kind}Spec`] = collector.convert(kind.spec);
    schemas[`${kind.kind}Status`] = collector.convert(kind.status);
    schemas[kind.kind] = {
      type: 'object',
      description: kind.description,
      required: ['apiVersion', 'kind', 'metadata', 'spec'],
      properties: {
        apiVersion: { type: 'string', enum: [API_VERSION] },
        kind: { type: 'string', enum: [kind.kind] },
        metadata: { $ref: '#/components/schemas/ObjectMeta' },
        spec: { $ref: `#/components/schemas/${kind.kind}Spec` },
        status: { $ref: `#/components/schemas/${kind.kind}Status` },
      },
    };
  }
  const sorted = Object.fromEntries(
    Object.entries({ ...collector.components, ...schemas }).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    openapi: '3.0.3',
    info: { title: 'gravitee.io/v1alpha1 custom resources', version: '1.0.0' },
    paths: {},
    components: { schemas: sorted },
  };
}
