// How APIM knows each object the operator manages: by its HRID, or (objects synchronised before
// HRIDs existed, and objects that name an existing APIM object by its id) by a UUID sent in place of
// the HRID, with `hridContainsUUID`. Which one is decided as upstream's operator decides it, so that a
// take-over addresses the very objects upstream created.
import { hashUuid } from './uuid.ts';
import { objectHrid } from './hrid.ts';

export interface ApimIds {
  /** What goes in the body's `hrid` and in paths: the HRID, or the UUID of an object known by UUID. */
  hrid: string;
  hridContainsUUID: boolean;
}

/** The condition that says an object was synchronised by HRID: from then on it is never taken for a UUID one. */
export const AUTOMATION_MANAGED = 'AutomationAPIManaged';

interface Metadata {
  namespace?: string;
  name?: string;
}

interface IdStatus {
  id?: string;
  crossId?: string;
  conditions?: { type: string; status: string }[];
}

export interface IdentifiedObject {
  metadata: Metadata;
  spec: { id?: string; crossId?: string };
  status?: IdStatus;
}

export function automationManaged(status: IdStatus | undefined): boolean {
  return !!status?.conditions?.some((c) => c.type === AUTOMATION_MANAGED && c.status === 'True');
}

const byHrid = (metadata: Metadata): ApimIds => ({ hrid: objectHrid(metadata), hridContainsUUID: false });
const byUuid = (id: string): ApimIds => ({ hrid: id, hridContainsUUID: true });

/** The query flag for requests naming the object. */
export const idFlags = (ids: ApimIds) => (ids.hridContainsUUID ? { hridContainsUUID: true } : {});

/** The id gateways know an API deployed only locally by: a UUID of its HRID. */
export function localApiV4Id(metadata: Metadata): string {
  return hashUuid(objectHrid(metadata));
}

/**
 * A v4 API is known by UUID when it is not marked as synchronised by HRID and has an id: `spec.id`
 * (an API exported from APIM, or created before the operator), else the id its status records (an
 * API upstream synchronised before HRIDs existed). The id a locally deployed API records is derived
 * from its HRID and names nothing in APIM.
 */
export function apiV4Ids(api: IdentifiedObject): ApimIds {
  if (automationManaged(api.status)) return byHrid(api.metadata);
  const recorded = api.status?.id && api.status.id !== localApiV4Id(api.metadata) ? api.status.id : undefined;
  const id = api.spec.id || recorded;
  return id ? byUuid(id) : byHrid(api.metadata);
}

/**
 * Applications and groups: known by UUID when not marked as synchronised by HRID and an id is known,
 * the one APIM answered (status) or, before the first synchronisation, the one the spec names.
 */
export function applicationIds(object: IdentifiedObject): ApimIds {
  if (automationManaged(object.status)) return byHrid(object.metadata);
  const id = object.status?.id || object.spec.id;
  return id ? byUuid(id) : byHrid(object.metadata);
}

export const groupIds = applicationIds;

/** Shared policy groups synchronised before HRIDs existed are known by their crossId. */
export function sharedPolicyGroupIds(group: IdentifiedObject): ApimIds {
  if (automationManaged(group.status)) return byHrid(group.metadata);
  return group.status?.crossId ? byUuid(group.status.crossId) : byHrid(group.metadata);
}

/** Subscriptions made before HRIDs existed are known by the id their status records. */
export function subscriptionIds(subscription: Omit<IdentifiedObject, 'spec'>): ApimIds {
  if (automationManaged(subscription.status)) return byHrid(subscription.metadata);
  return subscription.status?.id ? byUuid(subscription.status.id) : byHrid(subscription.metadata);
}

/** Kinds that came with the Automation API (dictionaries, the portal kinds): always known by HRID. */
export function hridOnlyIds(object: { metadata: Metadata }): ApimIds {
  return byHrid(object.metadata);
}

export const dictionaryIds = hridOnlyIds;
