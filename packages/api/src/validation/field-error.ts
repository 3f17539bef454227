// Field errors as kube-apiserver words them, so that a message from our validator reads like the
// one kubectl would print for the same mistake.

export type FieldErrorType =
  'Required' | 'Invalid' | 'Unsupported' | 'Forbidden' | 'Duplicate' | 'TooLong' | 'TooMany' | 'Unknown';

export interface FieldError {
  /** Path of the field, e.g. spec.plans.KeyLess.security.type or spec.flows[0].enabled. */
  path: string;
  type: FieldErrorType;
  detail: string;
}

const headings: Record<FieldErrorType, string> = {
  Required: 'Required value',
  Invalid: 'Invalid value',
  Unsupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  TooMany: 'Too many',
  Unknown: 'unknown field',
};

export function formatFieldError(error: FieldError): string {
  if (error.type === 'Unknown') return `unknown field "${error.path}"`;
  return `${error.path}: ${headings[error.type]}${error.detail ? `: ${error.detail}` : ''}`;
}

/** How a value is quoted in messages: scalars as JSON, objects and lists by their type only. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? '"array"' : '"object"';
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}
