// Evaluates the CEL rules of a schema (x-kubernetes-validations) the way kube-apiserver does: at
// every node that has rules, with `self` bound to the node's value; rules that read `oldSelf`
// (transition rules) only on updates, and only where the node existed before.
import { Environment } from '@marcbachmann/cel-js';
import type { Schema, ValidationRule } from '../schema/index.ts';
import { describeValue, type FieldError, type FieldErrorType } from './field-error.ts';
import { formatPath, type Segment } from './paths.ts';

const environment = new Environment({ unlistedVariablesAreDyn: true });
const compiled = new Map<string, (vars: Record<string, unknown>) => unknown>();

function program(rule: string): (vars: Record<string, unknown>) => unknown {
  let fn = compiled.get(rule);
  if (!fn) {
    fn = environment.parse(rule) as (vars: Record<string, unknown>) => unknown;
    compiled.set(rule, fn);
  }
  return fn;
}

export const isTransitionRule = (rule: ValidationRule): boolean => /\boldSelf\b/.test(rule.rule);

/** JSON numbers become CEL values: integers are CEL ints (BigInt), except where the schema says number. */
function toCel(schema: Schema | undefined, value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && schema?.type !== 'number' ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((item) => toCel(schema?.items, item));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, toCel(schema?.properties?.[k] ?? schema?.additionalProperties, v)]),
    );
  }
  return value;
}

const errorTypes: Record<NonNullable<ValidationRule['reason']>, FieldErrorType> = {
  FieldValueInvalid: 'Invalid',
  FieldValueRequired: 'Required',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate',
};

interface Walk {
  at: Segment[];
  /** Positions in `at` that are map keys (written [key] in CEL paths). */
  mapKeys: Set<number>;
}

function ruleError(rule: ValidationRule, self: unknown, walk: Walk, failure?: string): FieldError {
  let path = formatPath(walk.at, 'cel', walk.mapKeys);
  if (rule.fieldPath) path += rule.fieldPath;
  const type = errorTypes[rule.reason ?? 'FieldValueInvalid'];
  const message = failure ? `${rule.message} (rule could not be evaluated: ${failure})` : rule.message;
  const showValue = type === 'Invalid' && !rule.fieldPath && (self === null || typeof self !== 'object');
  return { path, type, detail: showValue ? `${describeValue(self)}: ${message}` : message };
}

function walk(schema: Schema, value: unknown, oldValue: unknown, position: Walk, errors: FieldError[]): void {
  const rules = schema['x-kubernetes-validations'] ?? [];
  for (const rule of rules) {
    const transition = isTransitionRule(rule);
    if (transition && oldValue === undefined) continue;
    const vars: Record<string, unknown> = { self: toCel(schema, value) };
    if (transition) vars['oldSelf'] = toCel(schema, oldValue);
    try {
      if (program(rule.rule)(vars) !== true) errors.push(ruleError(rule, value, position));
    } catch (error) {
      errors.push(ruleError(rule, value, position, (error as Error).message));
    }
  }
  const child = (segment: Segment, isMapKey: boolean): Walk => {
    const mapKeys = new Set(position.mapKeys);
    if (isMapKey) mapKeys.add(position.at.length);
    return { at: [...position.at, segment], mapKeys };
  };
  if (Array.isArray(value) && schema.items) {
    // Only map lists correlate items between old and new (by their keys); other lists do not.
    const keys = schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] ?? []) : undefined;
    const oldItems = Array.isArray(oldValue) ? (oldValue as Record<string, unknown>[]) : [];
    value.forEach((item, index) => {
      const old = keys
        ? oldItems.find((o) => keys.every((k) => o?.[k] === (item as Record<string, unknown>)?.[k]))
        : undefined;
      walk(schema.items!, item, old, child({ index }, false), errors);
    });
  } else if (value && typeof value === 'object') {
    const old = oldValue && typeof oldValue === 'object' ? (oldValue as Record<string, unknown>) : undefined;
    for (const [key, childValue] of Object.entries(value as Record<string, unknown>)) {
      const declared = schema.properties?.[key];
      const childSchema = declared ?? schema.additionalProperties;
      if (childSchema) walk(childSchema, childValue, old?.[key], child({ key }, !declared), errors);
    }
  }
}

export function celErrors(schema: Schema, value: unknown, oldValue?: unknown): FieldError[] {
  const errors: FieldError[] = [];
  walk(schema, value, oldValue, { at: [], mapKeys: new Set() }, errors);
  return errors;
}
