// Validates JSON values against the schemas of an OpenAPI document with ajv, giving OpenAPI
// constructs their meaning: a discriminator selects the one schema that applies, `nullable` (3.0)
// admits null. Optionally strict: fields the document does not declare are refused.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './documents.ts';

type Node = Record<string, unknown>;

export interface SchemaProblem {
  /** Where in the value, e.g. plans[0].name. */
  location: string;
  message: string;
}

export interface SchemaValidator {
  validate(schemaName: string, value: unknown): SchemaProblem[];
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Conversion {
  strict: boolean;
  is30: boolean;
}

/**
 * Rewrites one schema node (recursively) into plain JSON Schema. `partial` marks a member of an
 * allOf: it sees only some of the object's fields, so strictness belongs to the whole, not to it.
 */
function convert(node: unknown, c: Conversion, partial = false): unknown {
  if (Array.isArray(node)) return node.map((n) => convert(n, c));
  if (!isNode(node)) return node;
  const out: Node = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'discriminator' || key === 'example' || key === 'examples' || key === 'xml') continue;
    if (key === 'properties' && isNode(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v, c)]));
    } else if (key === 'allOf' && Array.isArray(value)) {
      // Members see only some of the object's fields: use the partial variant of referenced schemas.
      out[key] = value.map((member) =>
        isNode(member) && typeof member['$ref'] === 'string'
          ? { ...member, $ref: member['$ref'].replace('#/components/schemas/', '#/partials/') }
          : convert(member, c, true),
      );
    } else {
      out[key] = convert(value, c);
    }
  }
  const { strict, is30 } = c;
  if (is30 && node['nullable'] === true && typeof node['type'] === 'string') out['type'] = [node['type'], 'null'];
  const discriminator = node['discriminator'];
  const choices = (node['oneOf'] ?? node['anyOf']) as unknown[] | undefined;
  if (isNode(discriminator) && choices) {
    // Exactly the schema named by the discriminator value applies, as OpenAPI means it.
    const property = String(discriminator['propertyName']);
    const mapping = (discriminator['mapping'] ?? {}) as Record<string, string>;
    delete out['oneOf'];
    delete out['anyOf'];
    out['required'] = [...new Set([...((out['required'] as string[]) ?? []), property])];
    out['properties'] = { ...(out['properties'] ?? {}), [property]: { enum: Object.keys(mapping) } };
    out['allOf'] = [
      ...((out['allOf'] as unknown[]) ?? []),
      ...Object.entries(mapping).map(([value, ref]) => ({
        if: { properties: { [property]: { const: value } } },
        then: { $ref: ref },
      })),
    ];
  }
  if (
    strict &&
    !partial &&
    isNode(out['properties']) &&
    out['additionalProperties'] === undefined &&
    out['unevaluatedProperties'] === undefined
  ) {
    out['unevaluatedProperties'] = false;
  }
  return out;
}

function location(error: ErrorObject): string {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') segments.push(String(params['missingProperty']));
  if (error.keyword === 'unevaluatedProperties') segments.push(String(params['unevaluatedProperty']));
  if (error.keyword === 'additionalProperties') segments.push(String(params['additionalProperty']));
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), '');
}

function message(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'unevaluatedProperties':
    case 'additionalProperties':
      return 'is not a field of this object';
    case 'enum':
      return `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? error.keyword;
  }
}

export function createSchemaValidator(document: OpenApiDocument, options: { strict?: boolean } = {}): SchemaValidator {
  const is30 = document.openapi.startsWith('3.0');
  const ajv = is30 ? new Ajv({ allErrors: true, strict: false }) : new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  for (const format of ['int32', 'int64', 'float', 'double', 'password']) ajv.addFormat(format, true);
  const id = 'https://gko.local/openapi';
  const schemas = Object.entries(document.components?.schemas ?? {});
  const conversion: Conversion = { strict: options.strict ?? false, is30 };
  // Each schema twice: whole (where it is the object itself) and partial (as a member of an allOf).
  ajv.addSchema({
    $id: id,
    components: { schemas: Object.fromEntries(schemas.map(([name, schema]) => [name, convert(schema, conversion)])) },
    partials: Object.fromEntries(schemas.map(([name, schema]) => [name, convert(schema, conversion, true)])),
  });
  const compiled = new Map<string, ValidateFunction>();
  return {
    validate(schemaName, value) {
      let fn = compiled.get(schemaName);
      if (!fn) {
        if (!document.components?.schemas?.[schemaName]) throw new Error(`no schema ${schemaName} in the document`);
        fn = ajv.compile({ $ref: `${id}#/components/schemas/${schemaName}` });
        compiled.set(schemaName, fn);
      }
      if (fn(value)) return [];
      // if/then branches report the failed "if" too; it says nothing useful on its own.
      const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'if');
      const unique = new Map(
        errors.map((e) => [`${location(e)}|${message(e)}`, { location: location(e), message: message(e) }]),
      );
      return [...unique.values()];
    },
  };
}
