// Status parts shared by every kind: standard conditions, the generation they describe, and the
// problems APIM reported.
import {
  array,
  dateTime,
  enumeration,
  integer,
  named,
  object,
  required,
  string,
  type Schema,
} from '../schema/index.ts';

export const CONDITION_TYPES = {
  /** Everything is in sync with the spec of the observed generation. */
  Ready: 'Ready',
  /** The spec was valid and the last synchronisation succeeded. */
  Accepted: 'Accepted',
  /** Every object this one refers to was found. */
  ResolvedRefs: 'ResolvedRefs',
} as const;

const condition = named(
  'Condition',
  object('One aspect of the current state of the object, as last observed by the operator.', {
    type: required(
      string('What the condition is about: Ready, Accepted or ResolvedRefs.', {
        maxLength: 316,
        pattern:
          '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
      }),
    ),
    status: required(enumeration(['True', 'False', 'Unknown'], 'Whether the condition holds.')),
    observedGeneration: integer('The metadata.generation of the object that the condition describes.', {
      format: 'int64',
      minimum: 0,
    }),
    lastTransitionTime: required(dateTime('When the status of the condition last changed.')),
    reason: required(
      string('A machine-readable word (CamelCase) explaining the status.', {
        minLength: 1,
        maxLength: 1024,
        pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$',
      }),
    ),
    message: required(string('A human-readable explanation, possibly empty.', { maxLength: 32768 })),
  }),
);

export const conditions = array(
  'Observations of the state of the object: Ready, Accepted and ResolvedRefs.',
  condition,
  {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
    maxItems: 8,
    default: [],
  },
);

export const observedGeneration = integer('The metadata.generation that the operator last processed.', {
  format: 'int64',
  minimum: 0,
});

export const apimErrors = named(
  'ApimErrors',
  object('What APIM reported while importing the object in the last synchronisation.', {
    severe: array('Problems that made APIM refuse the object.', string('A problem reported by APIM.')),
    warning: array(
      'Problems APIM worked around, for example by dropping an unknown category or member.',
      string('A warning reported by APIM.'),
    ),
  }),
);

export const processingStatus = string('Deprecated: read the Ready condition instead. Completed or Failed.');

export const organizationId = string('Id of the APIM organization the object was synchronised with.');
export const environmentId = string('Id of the APIM environment the object was synchronised with.');

export const syncHash = string(
  'Hash of everything the last successful synchronisation depended on: the spec, the objects it refers to and the versions of the Secrets and ConfigMaps its templates read. An object whose hash has not changed is not synchronised again.',
);

/** The status of a kind: conditions, observedGeneration and syncHash first, then what is particular to it. */
export function status(description: string, properties: Record<string, Schema> = {}): Schema {
  return object(description, { observedGeneration, conditions, syncHash, ...properties });
}
