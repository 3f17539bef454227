// Checks an object the way kube-apiserver checks it on create or update: nulls dropped, defaults
// applied, metadata names checked, the CRD schema (ajv), list types, then the CEL rules (which
// kube-apiserver only evaluates once the structure is valid).
import type { Ajv } from 'ajv';
import { objectSchema } from '../crd/crd.ts';
import { API_VERSION } from '../group.ts';
import type { KindDefinition } from '../kinds/kind.ts';
import { KINDS } from '../registry.ts';
import type { Schema } from '../schema/index.ts';
import { celErrors } from './cel.ts';
import { formatFieldError, type FieldError } from './field-error.ts';
import { listTypeErrors } from './list-types.ts';
import { metadataErrors } from './metadata.ts';
import { prepare } from './prepare.ts';
import { createAjv, structuralValidator, type StructuralValidator } from './structural.ts';

export interface ValidationResult {
  valid: boolean;
  errors: FieldError[];
  /** The errors as kubectl would print them. */
  messages: string[];
  /** The object as it would be stored: nulls dropped, defaults applied, status left out. */
  object: Record<string, unknown> | undefined;
  /** True when CEL rules were not evaluated because the structure was invalid (as kube-apiserver does). */
  rulesSkipped: boolean;
}

interface CompiledKind {
  schema: Schema;
  structural: StructuralValidator;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutStatus(object: Record<string, unknown>): Record<string, unknown> {
  // With the status subresource, kube-apiserver ignores status on create and update of the object.
  const { status: _ignored, ...rest } = object;
  return rest;
}

export interface Validator {
  validate(object: unknown, oldObject?: unknown): ValidationResult;
  /** Applies nulls-dropping and schema defaults only. */
  withDefaults(object: Record<string, unknown>): Record<string, unknown>;
}

export function createValidator(kinds: readonly KindDefinition[] = KINDS): Validator {
  let ajv: Ajv | undefined;
  const cache = new Map<string, CompiledKind>();
  const compiledKind = (kind: KindDefinition): CompiledKind => {
    let entry = cache.get(kind.kind);
    if (!entry) {
      ajv ??= createAjv();
      const schema = objectSchema(kind);
      entry = { schema, structural: structuralValidator(ajv, schema) };
      cache.set(kind.kind, entry);
    }
    return entry;
  };
  const kindOf = (object: Record<string, unknown>): KindDefinition | FieldError => {
    if (object['apiVersion'] !== API_VERSION) {
      return {
        path: 'apiVersion',
        type: 'Unsupported',
        detail: `${JSON.stringify(object['apiVersion'])}: supported values: "${API_VERSION}"`,
      };
    }
    const kind = kinds.find((k) => k.kind === object['kind']);
    return (
      kind ?? {
        path: 'kind',
        type: 'Unsupported',
        detail: `${JSON.stringify(object['kind'])}: supported values: ${kinds.map((k) => `"${k.kind}"`).join(', ')}`,
      }
    );
  };
  const result = (
    errors: FieldError[],
    object: Record<string, unknown> | undefined,
    rulesSkipped = false,
  ): ValidationResult => ({
    valid: errors.length === 0,
    errors,
    messages: errors.map(formatFieldError),
    object,
    rulesSkipped,
  });

  return {
    validate(object, oldObject) {
      if (!isObject(object))
        return result([{ path: '', type: 'Invalid', detail: 'the object must be a JSON or YAML mapping' }], undefined);
      const kind = kindOf(object);
      if ('path' in kind) return result([kind], undefined);
      const { schema, structural } = compiledKind(kind);
      const prepared = prepare(schema, withoutStatus(object)) as Record<string, unknown>;
      const structuralErrors = [
        ...metadataErrors(prepared['metadata']),
        ...structural(prepared),
        ...listTypeErrors(schema, prepared),
      ];
      if (structuralErrors.length > 0) return result(structuralErrors, prepared, true);
      const old = isObject(oldObject) ? prepare(schema, withoutStatus(oldObject)) : undefined;
      return result(celErrors(schema, prepared, old), prepared);
    },
    withDefaults(object) {
      const kind = kindOf(object);
      if ('path' in kind) return object;
      return prepare(compiledKind(kind).schema, object) as Record<string, unknown>;
    },
  };
}
