// x-kubernetes-list-type: items of a set are unique; items of a map are unique by their keys.
import type { Schema } from '../schema/index.ts';
import type { FieldError } from './field-error.ts';
import { formatPath, type Segment } from './paths.ts';

export function listTypeErrors(schema: Schema, value: unknown, at: Segment[] = []): FieldError[] {
  const errors: FieldError[] = [];
  if (Array.isArray(value)) {
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    if (listType === 'set' || listType === 'map') {
      const seen = new Map<string, number>();
      value.forEach((item, index) => {
        const identity =
          listType === 'set'
            ? JSON.stringify(item)
            : JSON.stringify(keys.map((k) => (item as Record<string, unknown> | null)?.[k]));
        if (seen.has(identity)) {
          const detail =
            listType === 'set'
              ? JSON.stringify(item)
              : `map[${keys.map((k) => `${k}:${String((item as Record<string, unknown>)[k])}`).join(' ')}]`;
          errors.push({ path: formatPath([...at, { index }], 'schema'), type: 'Duplicate', detail });
        } else seen.set(identity, index);
      });
    }
    if (schema.items)
      value.forEach((item, index) => errors.push(...listTypeErrors(schema.items!, item, [...at, { index }])));
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childSchema = schema.properties?.[key] ?? schema.additionalProperties;
      if (childSchema) errors.push(...listTypeErrors(childSchema, child, [...at, { key }]));
    }
  }
  return errors;
}
