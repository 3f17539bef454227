// How APIM knows an object: by its human-readable id (HRID) for everything created through the
// Automation API, or, for objects that upstream's operator created before HRIDs existed, by the UUID
// it recorded in status.id, sent as the hrid with a hridContainsUUID flag.
import { deterministicUuid, objectHrid } from '@gko/mapi';
import type { Condition } from '@gko/api';
import { findCondition, ok, type Verdicts } from '../status/conditions.ts';

export interface ApimIds {
  hrid: string;
  /** Objects created before HRIDs existed keep their UUID, sent as the hrid with this flag. */
  hridContainsUUID: boolean;
}

interface Identified {
  metadata: { namespace?: string; name?: string };
  spec: { hrid?: string };
  status?: { id?: string; conditions?: Condition[] };
}

/**
 * New objects, and objects already marked AutomationAPIManaged, are known by HRID; an object that
 * upstream's operator synchronised before HRIDs existed holds an APIM id but not the marker. An id
 * derived from the HRID (an API deployed only locally) is no legacy id.
 */
export function apimIds(object: Identified): ApimIds {
  const hrid = objectHrid(object.metadata, object.spec.hrid);
  const managed = findCondition(object.status?.conditions, 'AutomationAPIManaged')?.status === 'True';
  const id = object.status?.id;
  const legacy = !!id && !managed && id !== deterministicUuid(hrid);
  return legacy ? { hrid: id, hridContainsUUID: true } : { hrid, hridContainsUUID: false };
}

/** The query flag for requests naming the object. */
export const idFlags = (ids: ApimIds) => (ids.hridContainsUUID ? { hridContainsUUID: true } : {});

/** Marks an object synchronised by HRID: from then on it is never mistaken for a legacy object. */
export function managedVerdict(ids: ApimIds): Verdicts {
  return ids.hridContainsUUID
    ? {}
    : { AutomationAPIManaged: ok('AutomationAPIManaged', 'known to APIM by its human-readable id') };
}
