// The indexes the rules read, installed on the cache of our kinds (and kept by the lookups in memory):
// lookups by value, so that admission costs the same whatever the number of objects.
import { DEPENDS_ON_INDEX, KINDS, dependsOnValues, type KindName } from '@gko/api';
import { IDENTITY_FAMILIES, IDENTITY_INDEX, identityIndexValues } from '@gko/mapi';
import { CONTEXT_PATHS_INDEX, contextPathIndex } from './api.ts';

export interface AdmissionIndex {
  kind: KindName;
  name: string;
  values: (object: unknown) => string[];
}

export const ADMISSION_INDEXES: AdmissionIndex[] = [
  ...(['ApiDefinition', 'ApiV4Definition'] as const).map((kind) => ({
    kind,
    name: CONTEXT_PATHS_INDEX,
    values: contextPathIndex(kind),
  })),
  ...KINDS.map(({ kind }) => ({ kind, name: DEPENDS_ON_INDEX, values: dependsOnValues })),
  ...(Object.keys(IDENTITY_FAMILIES) as KindName[]).map((kind) => ({
    kind,
    name: IDENTITY_INDEX,
    values: identityIndexValues,
  })),
];
