// What defines a kind: its names, its schema and how kubectl shows it. The registry of kinds drives
// the CRDs, the generated types, the validators, and (in other packages) the webhook configuration.
import type { Schema } from '../schema/index.ts';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description: string;
  /** 0: shown by kubectl get; 1: only with -o wide. */
  priority?: number;
}

export interface KindDefinition<K extends string = string> {
  kind: K;
  plural: string;
  singular: string;
  shortNames: string[];
  /** Shown by `kubectl explain <kind>`. */
  description: string;
  spec: Schema;
  status: Schema;
  printerColumns: PrinterColumn[];
}

const readyColumns: PrinterColumn[] = [
  {
    name: 'Ready',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].status',
    description: 'Whether the object is in sync.',
  },
  {
    name: 'Reason',
    type: 'string',
    jsonPath: '.status.conditions[?(@.type=="Ready")].reason',
    description: 'Why the object is or is not in sync.',
    priority: 1,
  },
  { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: 'When the object was created.' },
];

/** A kind, with the Ready, Reason and Age columns every kind shows after its own. */
export function defineKind<K extends string>(definition: KindDefinition<K>): KindDefinition<K> {
  return { ...definition, printerColumns: [...definition.printerColumns, ...readyColumns] };
}

/** The folder name of a kind, the same in every package: ApiV4Definition → api-v4-definition. */
export function kindFolder(kind: string): string {
  return kind
    .replace(/([a-z])([A-Z0-9])/g, '$1-$2')
    .replace(/([0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
}
