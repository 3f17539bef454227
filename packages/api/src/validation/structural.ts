// Structural validation with ajv, from the same schemas as the CRDs. The Kubernetes extensions are
// given their Kubernetes meaning: int-or-string takes either type, preserve-unknown-fields keeps
// any field, embedded resources need apiVersion and kind. Elsewhere unknown fields are errors, as
// they are for kubectl's default (strict) field validation.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Schema } from '../schema/index.ts';
import { describeValue, type FieldError } from './field-error.ts';
import { formatPath, segmentsOf, type Segment } from './paths.ts';

type JsonSchema = Record<string, unknown>;

const COPIED = [
  'enum',
  'format',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
] as const;

export function toJsonSchema(schema: Schema): JsonSchema {
  const out: JsonSchema = {};
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key];
  let type: string | string[] | undefined = schema.type;
  if (schema['x-kubernetes-int-or-string']) type = ['integer', 'string'];
  if (type !== undefined && schema.nullable) type = [...(Array.isArray(type) ? type : [type]), 'null'];
  if (type !== undefined) out['type'] = type;

  const properties: Record<string, JsonSchema> = {};
  for (const [name, child] of Object.entries(schema.properties ?? {})) properties[name] = toJsonSchema(child);
  const required = [...(schema.required ?? [])];
  if (schema['x-kubernetes-embedded-resource']) {
    properties['apiVersion'] ??= { type: 'string' };
    properties['kind'] ??= { type: 'string' };
    properties['metadata'] ??= { type: 'object' };
    required.push('apiVersion', 'kind');
  }
  if (Object.keys(properties).length > 0) out['properties'] = properties;
  if (required.length > 0) out['required'] = required;
  if (schema.items) out['items'] = toJsonSchema(schema.items);
  if (schema.additionalProperties) out['additionalProperties'] = toJsonSchema(schema.additionalProperties);
  else if (
    schema.properties &&
    !schema['x-kubernetes-preserve-unknown-fields'] &&
    !schema['x-kubernetes-embedded-resource']
  ) {
    out['additionalProperties'] = false;
  }
  return out;
}

// kube-apiserver's date-time: RFC 3339 with seconds and a zone, 't' and 'z' in either case.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(z|[+-]\d{2}:\d{2})$/;
function isDateTime(value: string): boolean {
  const [date, time, ...rest] = value.toLowerCase().split('t');
  if (rest.length > 0 || !date || !time) return false;
  const d = DATE.exec(date);
  if (!d) return false;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return false;
  const t = TIME.exec(time);
  return !!t && Number(t[1]) < 24 && Number(t[2]) < 60 && Number(t[3]) < 61;
}

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  ajv.addFormat('byte', {
    type: 'string',
    validate: (v: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0,
  });
  // Formats kube-apiserver knows but does not check.
  for (const format of ['int32', 'int64', 'float', 'double', 'password']) ajv.addFormat(format, true);
  return ajv;
}

/** Fields whose values are credentials: a message quoting them would end up in logs and reports. */
const SENSITIVE = /(password|token|secret|key)$/i;

function valueAt(root: unknown, segments: Segment[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return undefined;
    value = 'key' in segment ? (value as Record<string, unknown>)[segment.key] : (value as unknown[])[segment.index];
  }
  return value;
}

function toFieldError(error: ErrorObject, root: unknown): FieldError {
  const segments = segmentsOf(error.instancePath, root);
  const path = formatPath(segments, 'schema');
  const params = error.params as Record<string, unknown>;
  // Read from the object (ajv gives `data` only in its slower verbose mode); never a credential's.
  const last = segments.at(-1);
  const value =
    last && 'key' in last && SENSITIVE.test(last.key) ? '(value hidden)' : describeValue(valueAt(root, segments));
  switch (error.keyword) {
    case 'required':
      return {
        path: formatPath([...segments, { key: String(params['missingProperty']) }], 'schema'),
        type: 'Required',
        detail: '',
      };
    case 'additionalProperties':
      return {
        path: formatPath([...segments, { key: String(params['additionalProperty']) }], 'schema'),
        type: 'Unknown',
        detail: '',
      };
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, type: 'Unsupported', detail: `${value}: supported values: ${allowed}` };
    }
    case 'type':
      return { path, type: 'Invalid', detail: `${value}: must be of type ${String(params['type'])}` };
    case 'maxLength':
      return { path, type: 'TooLong', detail: `may not be longer than ${String(params['limit'])}` };
    case 'maxItems':
    case 'maxProperties':
      return { path, type: 'TooMany', detail: `must have at most ${String(params['limit'])} items` };
    default:
      return { path, type: 'Invalid', detail: `${value}: ${error.message ?? error.keyword}` };
  }
}

export interface StructuralValidator {
  (object: unknown): FieldError[];
}

export function structuralValidator(ajv: Ajv, schema: Schema): StructuralValidator {
  const validate: ValidateFunction = ajv.compile(toJsonSchema(schema));
  return (object) => (validate(object) ? [] : (validate.errors ?? []).map((e) => toFieldError(e, object)));
}
