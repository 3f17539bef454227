import { GENERATOR_ONLY_KEYS, type Schema } from './types.ts';

/** A deep copy of the schema without the keys that only our generators read. */
export function stripGeneratorKeys(schema: Schema): Schema {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if ((GENERATOR_ONLY_KEYS as readonly string[]).includes(key)) continue;
    if (key === 'properties') {
      copy[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, stripGeneratorKeys(child)]),
      );
    } else if (key === 'items' || key === 'additionalProperties') {
      copy[key] = stripGeneratorKeys(value as Schema);
    } else if (key === 'anyOf') {
      copy[key] = (value as Schema[]).map(stripGeneratorKeys);
    } else {
      copy[key] = value;
    }
  }
  return copy;
}
