// The subset of OpenAPI v3 that Kubernetes accepts as a structural CRD schema, with its extensions.

export type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';

/** A CEL rule evaluated by kube-apiserver (and by our offline validator) against the value at its node. */
export interface ValidationRule {
  /** CEL expression over `self` (and `oldSelf` for rules that constrain updates). */
  rule: string;
  message: string;
  /** Path, relative to the node, of the field the error is reported on (e.g. `.type`). */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueDuplicate';
}

export interface Schema {
  type?: SchemaType;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  enum?: (string | number | boolean)[];
  default?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  anyOf?: Schema[];
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-validations'?: ValidationRule[];
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  /** Name of the TypeScript type generated for this schema; never emitted into a CRD. */
  'x-gko-type'?: string;
}

/** Keys that only drive our generators and must not reach kube-apiserver. */
export const GENERATOR_ONLY_KEYS = ['x-gko-type'] as const;
