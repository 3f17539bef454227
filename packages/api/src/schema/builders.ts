// Builders for CRD schemas. Every node carries a description (kubectl explain shows it); required
// properties are marked where they are declared, with required(); rules are CEL.
import type { Schema, ValidationRule } from './types.ts';

type Extras = Omit<Schema, 'type' | 'description' | 'properties' | 'items' | 'additionalProperties'>;

const REQUIRED = Symbol('required');
type Marked = Schema & { [REQUIRED]?: true };

/** Marks a property as required in the object that declares it. */
export function required(schema: Schema): Schema {
  return Object.assign({ ...schema }, { [REQUIRED]: true as const });
}

export function string(description: string, extras: Extras = {}): Schema {
  return { type: 'string', description, ...extras };
}

export function enumeration<const T extends string>(
  values: readonly T[],
  description: string,
  extras: Extras = {},
): Schema {
  return { type: 'string', description, enum: [...values], ...extras };
}

export function boolean(description: string, extras: Extras = {}): Schema {
  return { type: 'boolean', description, ...extras };
}

export function integer(description: string, extras: Extras = {}): Schema {
  return { type: 'integer', description, ...extras };
}

/** A date and time in RFC 3339 form, e.g. 2026-01-31T23:59:59Z. */
export function dateTime(description: string, extras: Extras = {}): Schema {
  return { type: 'string', format: 'date-time', description, ...extras };
}

export function object(description: string, properties: Record<string, Schema>, extras: Extras = {}): Schema {
  const clean: Record<string, Schema> = {};
  const requiredNames: string[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const { [REQUIRED]: isRequired, ...rest } = property as Marked;
    clean[name] = rest;
    // A defaulted field is always present once kube-apiserver has applied defaults; declaring it
    // required as well would only make kubectl's client-side validation refuse manifests that omit it.
    if (isRequired && rest.default === undefined) requiredNames.push(name);
  }
  const all = [...requiredNames, ...(extras.required ?? [])];
  return { type: 'object', description, properties: clean, ...extras, ...(all.length > 0 ? { required: all } : {}) };
}

export function array(description: string, items: Schema, extras: Extras = {}): Schema {
  return { type: 'array', description, items, ...extras };
}

/** An object used as a map: any keys, values of one schema. */
export function map(description: string, values: Schema, extras: Extras = {}): Schema {
  return { type: 'object', description, additionalProperties: values, ...extras };
}

/** Free-form configuration (policies, plugins): kept as given, validated by whoever consumes it. */
export function freeForm(description: string, extras: Extras = {}): Schema {
  return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true, ...extras };
}

/** Gives a schema the name of its generated TypeScript type. */
export function named(typeName: string, schema: Schema): Schema {
  return { ...schema, 'x-gko-type': typeName };
}

/** Same schema, another description (fragments describe themselves generically). */
export function describe(schema: Schema, description: string): Schema {
  return { ...schema, description };
}

export function withDefault(schema: Schema, value: unknown): Schema {
  return { ...schema, default: value };
}

export function withRules(schema: Schema, ...rules: ValidationRule[]): Schema {
  return { ...schema, 'x-kubernetes-validations': [...(schema['x-kubernetes-validations'] ?? []), ...rules] };
}

/** The value may be set, unset or left alone, but once set it cannot change. */
export function immutable(schema: Schema, message: string): Schema {
  return withRules(schema, { rule: 'self == oldSelf', message });
}

/** At most one of the named fields may be set. */
export function atMostOneOf(fields: readonly string[], message?: string): ValidationRule {
  const present = fields.map((f) => `(has(self.${f}) ? 1 : 0)`).join(' + ');
  return { rule: `${present} <= 1`, message: message ?? `set at most one of ${fields.join(', ')}` };
}

/** Exactly one of the named fields must be set. */
export function exactlyOneOf(fields: readonly string[], message?: string): ValidationRule {
  const present = fields.map((f) => `(has(self.${f}) ? 1 : 0)`).join(' + ');
  return { rule: `${present} == 1`, message: message ?? `set exactly one of ${fields.join(', ')}` };
}
