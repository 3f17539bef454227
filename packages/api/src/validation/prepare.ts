// What kube-apiserver does to an object before validating it: fields set to null are dropped unless
// their schema is nullable, then schema defaults fill in absent fields (also inside values that a
// default just created).
import type { Schema } from '../schema/index.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function prepare(schema: Schema, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.map((item) => prepare(items, item)) : value;
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
    if (child === null && !childSchema?.nullable) continue;
    out[key] = childSchema ? prepare(childSchema, child) : child;
  }
  for (const [key, childSchema] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && childSchema.default !== undefined) {
      out[key] = prepare(childSchema, structuredClone(childSchema.default));
    }
  }
  return out;
}
