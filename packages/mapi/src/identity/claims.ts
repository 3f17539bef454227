// Which APIM objects each custom resource names, so that no object can name one another object
// manages: in an APIM environment shared by several namespaces, an object that named another's API by
// its id, crossId or HRID would overwrite it, read it back and delete it with its own. An object claims
// what its status records (what APIM answered it), what its spec names (a take-over of an existing APIM
// object: spec.id, spec.crossId, plan ids) and the HRID its namespace and name make. Claims are
// compared between objects synchronised with the same APIM environment only; of two objects claiming
// the same value, the one that holds it by its status wins, then the one naming it in its spec, then
// the older one.
import { resolveReference } from '@gko/api';
import { keyHrid, objectHrid } from './hrid.ts';
import {
  apiV4Ids,
  applicationIds,
  automationManaged,
  dictionaryIds,
  groupIds,
  sharedPolicyGroupIds,
  type ApimIds,
  type IdentifiedObject,
} from './apim-ids.ts';

/** The index of objects by the values they claim, installed on the caches of the kinds that claim. */
export const IDENTITY_INDEX = 'apimIdentity';

/** The kinds that claim, by the APIM collection their objects live in (v2 and v4 APIs share one). */
export const IDENTITY_FAMILIES: Readonly<Record<string, string>> = Object.freeze({
  ApiV4Definition: 'api',
  ApiDefinition: 'api',
  Application: 'application',
  Group: 'group',
  SharedPolicyGroup: 'shared-policy-group',
  Dictionary: 'dictionary',
});

/** How firmly a value is held: answered by APIM (status), asked for (spec), or made from the name. */
export type ClaimStrength = 'status' | 'spec' | 'name';
const RANK: Record<ClaimStrength, number> = { status: 0, spec: 1, name: 2 };

export interface IdentityClaim {
  /** `<family>/<what>/<value>`: the index value. */
  value: string;
  /** The field that makes the claim, for messages. */
  field: string;
  strength: ClaimStrength;
  /** The value itself, for messages. */
  shown: string;
}

export interface ClaimingObject {
  kind?: string;
  metadata: { namespace?: string; name?: string; uid?: string; creationTimestamp?: string | Date };
  spec?: {
    id?: string;
    crossId?: string;
    hrid?: string;
    contextRef?: { name: string; namespace?: string };
    plans?: unknown;
  };
  status?: IdentifiedObject['status'] & { plans?: Record<string, string> };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function idsOf(kind: string, object: ClaimingObject): ApimIds | undefined {
  const identified = { metadata: object.metadata, spec: object.spec ?? {}, status: object.status } as IdentifiedObject;
  switch (kind) {
    case 'ApiV4Definition':
      return apiV4Ids(identified);
    case 'Application':
      return applicationIds(identified);
    case 'Group':
      return groupIds(identified);
    case 'SharedPolicyGroup':
      return sharedPolicyGroupIds(identified);
    case 'Dictionary':
      return dictionaryIds(identified);
    default:
      // v2 APIs are known by id, never by HRID.
      return undefined;
  }
}

/** The ids of plans the spec names itself (v4: plans.<key>.id; v2 plan ids are never sent). */
function specPlanIds(kind: string, plans: unknown): [string, string][] {
  if (kind !== 'ApiV4Definition' || !plans || typeof plans !== 'object') return [];
  return Object.entries(plans as Record<string, { id?: string }>).flatMap(([key, plan]) =>
    text(plan?.id) ? [[key, plan.id!] as [string, string]] : [],
  );
}

/** What the object claims; nothing for an object synchronised with no APIM (no context). */
export function identityClaims(object: ClaimingObject): IdentityClaim[] {
  const kind = object.kind ?? '';
  const family = IDENTITY_FAMILIES[kind];
  if (!family || !object.spec?.contextRef) return [];
  const claims: IdentityClaim[] = [];
  const add = (what: string, value: unknown, field: string, strength: ClaimStrength) => {
    const shown = text(value);
    if (shown) claims.push({ value: `${family}/${what}/${shown}`, field, strength, shown });
  };
  const ids = idsOf(kind, object);
  if (ids && !ids.hridContainsUUID) add('hrid', objectHrid(object.metadata), 'metadata.name', 'name');
  add('id', object.status?.id, 'status.id', 'status');
  add('crossId', object.status?.crossId, 'status.crossId', 'status');
  add('id', object.spec.id, 'spec.id', 'spec');
  add('crossId', object.spec.crossId, 'spec.crossId', 'spec');
  for (const planId of Object.values(object.status?.plans ?? {})) add('plan', planId, 'status.plans', 'status');
  for (const [key, planId] of specPlanIds(kind, object.spec.plans)) add('plan', planId, `spec.plans.${key}.id`, 'spec');
  return claims;
}

/** The index values of an object: each value it claims, once. */
export function identityIndexValues(object: unknown): string[] {
  return [...new Set(identityClaims(object as ClaimingObject).map((claim) => claim.value))];
}

export interface IdentityConflict {
  claim: IdentityClaim;
  /** The object holding the value, as "Kind namespace/name". */
  owner: string;
  /** How it holds it. */
  ownerField: string;
}

export interface ClaimLookup {
  /** Objects of a kind claiming the index value. */
  claiming(kind: string, value: string): ClaimingObject[];
  /** Whether two objects are synchronised with the same APIM environment. */
  sameEnvironment(a: ClaimingObject, b: ClaimingObject): boolean;
}

const same = (a: ClaimingObject, b: ClaimingObject) =>
  (!!a.metadata.uid && a.metadata.uid === b.metadata.uid) ||
  (a.kind === b.kind && a.metadata.namespace === b.metadata.namespace && a.metadata.name === b.metadata.name);

const created = (object: ClaimingObject) =>
  object.metadata.creationTimestamp ? new Date(object.metadata.creationTimestamp).getTime() : Number.POSITIVE_INFINITY;

/** Whether `other` holds the value before `object` does. */
function ranksBefore(other: IdentityClaim, otherObject: ClaimingObject, mine: IdentityClaim, object: ClaimingObject) {
  if (RANK[other.strength] !== RANK[mine.strength]) return RANK[other.strength] < RANK[mine.strength];
  if (created(otherObject) !== created(object)) return created(otherObject) < created(object);
  const name = (o: ClaimingObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
  return name(otherObject) < name(object);
}

/** The values the object claims that another object, synchronised with the same environment, holds first. */
export function identityConflicts(object: ClaimingObject, lookup: ClaimLookup): IdentityConflict[] {
  const family = IDENTITY_FAMILIES[object.kind ?? ''];
  const kinds = Object.keys(IDENTITY_FAMILIES).filter((kind) => IDENTITY_FAMILIES[kind] === family);
  const conflicts: IdentityConflict[] = [];
  for (const claim of identityClaims(object)) {
    for (const other of kinds.flatMap((kind) => lookup.claiming(kind, claim.value))) {
      if (same(other, object) || !lookup.sameEnvironment(object, other)) continue;
      const held = identityClaims(other).find((c) => c.value === claim.value);
      if (held && ranksBefore(held, other, claim, object)) {
        const owner = `${other.kind} ${other.metadata.namespace}/${other.metadata.name}`;
        conflicts.push({ claim, owner, ownerField: held.field });
        break;
      }
    }
  }
  return conflicts;
}

/** A conflict in words, naming the field at fault and the owner. */
export function conflictMessage(conflict: IdentityConflict): string {
  const { claim, owner, ownerField } = conflict;
  if (claim.strength === 'name')
    return `the HRID ${claim.shown} that this object's namespace and name make is already that of ${owner} in the same APIM environment: rename one of them`;
  return `${claim.shown} names an APIM object that ${owner} manages (its ${ownerField}): an object can only take over an APIM object that no other object manages`;
}

/** What a ManagementContext says of where it points, as far as telling environments apart goes. */
export interface ContextLike {
  spec?: { baseUrl?: string; organizationId?: string; environmentId?: string };
}

/**
 * The APIM environment an object is synchronised with, as its context says it (the context itself
 * when it cannot be read): two contexts pointing at the same environment are the same environment.
 */
export function environmentKey(
  object: ClaimingObject,
  context: (namespace: string, name: string) => ContextLike | undefined,
): string {
  const ref = object.spec?.contextRef;
  if (!ref) return '';
  const { namespace, name } = resolveReference(ref, object.metadata.namespace ?? 'default');
  const spec = context(namespace, name)?.spec;
  if (!spec?.baseUrl) return `context:${namespace}/${name}`;
  return [spec.baseUrl.replace(/\/+$/, ''), spec.organizationId ?? '', spec.environmentId ?? ''].join('|');
}

export interface IdentityProblem {
  /** The field at fault. */
  path: string;
  message: string;
}

const HRID_REASON =
  'objects are known to APIM by their namespace and name, so that no namespace can name what another one manages';

/** A plans.<key>.hrid or pages.<key>.hrid that is not the one the key makes. */
function keyHridProblems(kind: string, spec: Record<string, unknown>): IdentityProblem[] {
  if (kind !== 'ApiV4Definition') return [];
  return (['plans', 'pages'] as const).flatMap((map) =>
    Object.entries((spec[map] as Record<string, { hrid?: string }> | undefined) ?? {}).flatMap(([key, entry]) =>
      text(entry?.hrid) && entry.hrid !== keyHrid(key)
        ? [
            {
              path: `spec.${map}.${key}.hrid`,
              message: `must be ${keyHrid(key)}, the key with each space and dot made a dash, or be left out`,
            },
          ]
        : [],
    ),
  );
}

/**
 * Everything wrong with how an object names what it manages in APIM: a spec.hrid other than the one
 * its namespace and name make, a spec.id that would move an object APIM knows by HRID to another
 * object, and any value another object of the same APIM environment holds first.
 */
export function identityProblems(object: ClaimingObject, lookup: ClaimLookup): IdentityProblem[] {
  const kind = object.kind ?? '';
  if (!IDENTITY_FAMILIES[kind]) return [];
  const problems: IdentityProblem[] = [];
  const spec = (object.spec ?? {}) as Record<string, unknown> & ClaimingObject['spec'];
  const hrid = objectHrid(object.metadata);
  if (text(spec.hrid) && spec.hrid !== hrid)
    problems.push({ path: 'spec.hrid', message: `must be ${hrid} or be left out: ${HRID_REASON}` });
  problems.push(...keyHridProblems(kind, spec));
  if (automationManaged(object.status) && text(spec.id) && spec.id !== object.status?.id)
    problems.push({
      path: 'spec.id',
      message: `APIM knows this object by its HRID ${hrid}${object.status?.id ? ` (id ${object.status.id})` : ''}: spec.id may only repeat that id`,
    });
  for (const conflict of identityConflicts(object, lookup))
    problems.push({ path: conflict.claim.field, message: conflictMessage(conflict) });
  return problems;
}

/** What claims are looked up in: an informer cache with the identity index (webhook and controllers). */
export interface ClaimReader {
  byIndex(kind: string, index: string, value: string): unknown[];
  get(kind: string, namespace: string, name: string): unknown;
}

export function claimLookup(reader: ClaimReader): ClaimLookup {
  const context = (namespace: string, name: string) =>
    reader.get('ManagementContext', namespace, name) as ContextLike | undefined;
  return {
    claiming: (kind, value) => reader.byIndex(kind, IDENTITY_INDEX, value) as ClaimingObject[],
    sameEnvironment: (a, b) => environmentKey(a, context) === environmentKey(b, context),
  };
}
