// Which APIM objects each custom resource names, so that no object can name one another object
// manages: in an APIM environment shared by several namespaces, an object that named another's API by
// its id, crossId or HRID would overwrite it, read it back and delete it with its own. An object claims
// what its status records (what APIM answered it), what its spec names (a take-over of an existing APIM
// object: spec.id, spec.crossId, plan ids) and the HRID its namespace and name make. Claims are
// compared between objects synchronised with the same APIM environment only; of two objects claiming
// the same value, the one that holds it by its status wins, then the one naming it in its spec, then
// the older one.
import { resolveReference } from '@gko/api';
import { keyHrid, namespacedName, objectHrid } from './hrid.ts';
import { hashUuid } from './uuid.ts';
import { SHARED_POLICY_GROUP_POLICY } from '../kinds/api-v4-definition/to-request.ts';
import {
  apiV4Ids,
  applicationIds,
  automationManaged,
  groupIds,
  hridOnlyIds,
  sharedPolicyGroupIds,
  subscriptionIds,
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
  Subscription: 'subscription',
  Portal: 'portal',
  PortalLink: 'portal-link',
  PortalListing: 'portal-listing',
  Documentation: 'documentation',
});

/** Kinds whose objects live under a parent in APIM (an API, a portal): their HRIDs only clash there. */
const PARENTS: Readonly<Record<string, readonly { field: 'api' | 'portalRef' | 'apiRef'; kind: string }[]>> = {
  Subscription: [{ field: 'api', kind: 'ApiV4Definition' }],
  PortalLink: [{ field: 'portalRef', kind: 'Portal' }],
  PortalListing: [{ field: 'portalRef', kind: 'Portal' }],
  Documentation: [
    { field: 'portalRef', kind: 'Portal' },
    { field: 'apiRef', kind: 'ApiV4Definition' },
  ],
};

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
  /**
   * A crossId names an API in one environment only: the same crossId in two environments is a
   * promotion, not a clash. Every other value clashes wherever it is held (a base URL can be written
   * many ways: environments are not told apart by it).
   */
  perEnvironment: boolean;
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
    pages?: unknown;
    api?: { name: string; namespace?: string; kind?: string };
    portalRef?: { name: string; namespace?: string };
    apiRef?: { name: string; namespace?: string };
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
    case 'Portal':
    case 'PortalLink':
    case 'PortalListing':
    case 'Documentation':
      return hridOnlyIds(identified);
    case 'Subscription':
      return subscriptionIds(identified);
    default:
      // v2 APIs are known by id, never by HRID.
      return undefined;
  }
}

/** The ids the spec gives entries of a map (plans, pages) itself, with the field giving them. */
function specIds(map: unknown, what: 'id' | 'crossId', field: string): [string, string][] {
  if (!map || typeof map !== 'object') return [];
  const entries = Array.isArray(map)
    ? map.map((entry, i) => [`[${i}]`, entry] as const)
    : Object.entries(map as Record<string, unknown>).map(([key, entry]) => [`.${key}`, entry] as const);
  return entries.flatMap(([at, entry]) => {
    const value = text((entry as Record<string, unknown> | undefined)?.[what]);
    return value ? [[`${field}${at}.${what}`, value] as [string, string]] : [];
  });
}

/**
 * The crossId APIM will find the API by, when this operator derives it from the namespace and name
 * (v2 APIs; v4 APIs known by UUID): it is the object's by construction, before any synchronisation.
 */
function derivedCrossId(kind: string, object: ClaimingObject, ids: ApimIds | undefined): string | undefined {
  if (kind === 'ApiDefinition' || (kind === 'ApiV4Definition' && ids?.hridContainsUUID))
    return hashUuid(namespacedName(object.metadata));
  return undefined;
}

/** Where the HRID of an object living under a parent (a subscription, a portal's link...) lives: under that parent. */
function parentScope(parents: (typeof PARENTS)[string], object: ClaimingObject): string | undefined {
  for (const { field, kind } of parents) {
    const ref = object.spec?.[field] as { name?: string; namespace?: string; kind?: string } | undefined;
    // Only a subscription's API reference chooses its kind (v2 or v4); the others name one kind.
    const named = field === 'api' ? ref?.kind || kind : kind;
    if (ref?.name) return `${named}/${ref.namespace || object.metadata.namespace || 'default'}/${ref.name}`;
  }
  return undefined;
}

/**
 * What the object claims: the HRID its namespace and name make (held by its status once APIM knows it
 * by it), the ids and crossIds its status records and its spec names, the crossId derived from its
 * namespace and name, and the ids its spec gives plans and pages. Nothing for an object synchronised
 * with no APIM (no context).
 */
export function identityClaims(object: ClaimingObject): IdentityClaim[] {
  const kind = object.kind ?? '';
  const family = IDENTITY_FAMILIES[kind];
  const parents = PARENTS[kind];
  if (!family || (!parents && !object.spec?.contextRef)) return [];
  const scope = parents ? parentScope(parents, object) : '';
  if (scope === undefined) return [];
  const claims: IdentityClaim[] = [];
  const add = (what: string, value: unknown, field: string, strength: ClaimStrength) => {
    const shown = text(value);
    if (shown)
      claims.push({
        value: `${family}/${what}/${scope ? `${scope}/` : ''}${shown}`,
        field,
        strength,
        shown,
        perEnvironment: what === 'crossId',
      });
  };
  const ids = idsOf(kind, object);
  if (ids && !ids.hridContainsUUID)
    add('hrid', objectHrid(object.metadata), 'metadata.name', automationManaged(object.status) ? 'status' : 'name');
  add('id', object.status?.id, 'status.id', 'status');
  add('crossId', object.status?.crossId, 'status.crossId', 'status');
  add('id', object.spec?.id, 'spec.id', 'spec');
  add('crossId', object.spec?.crossId, 'spec.crossId', 'spec');
  if (!object.status?.crossId && !object.spec?.crossId)
    add('crossId', derivedCrossId(kind, object, ids), 'metadata.name', 'name');
  for (const planId of Object.values(object.status?.plans ?? {})) add('plan', planId, 'status.plans', 'status');
  // Plan ids a v4 spec gives are sent; v2 ones never are (upstream derives them).
  if (kind === 'ApiV4Definition')
    for (const [field, planId] of specIds(object.spec?.plans, 'id', 'spec.plans')) add('plan', planId, field, 'spec');
  for (const what of ['id', 'crossId'] as const)
    for (const [field, pageId] of specIds(object.spec?.pages, what, 'spec.pages'))
      add(`page-${what}`, pageId, field, 'spec');
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
      if (same(other, object) || (claim.perEnvironment && !lookup.sameEnvironment(object, other))) continue;
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
  spec?: { organizationId?: string; environmentId?: string };
}

/**
 * The APIM environment an object is synchronised with, by the organization and environment ids its
 * context names: base URLs are not compared, since one APIM answers at many (host names, addresses,
 * ports), which would let a context written another way pass for another environment. An object whose
 * context cannot be read is in no known environment (undefined): it is taken to share any.
 */
export function environmentKey(
  object: ClaimingObject,
  context: (namespace: string, name: string) => ContextLike | undefined,
): string | undefined {
  const ref = object.spec?.contextRef;
  if (!ref) return undefined;
  const { namespace, name } = resolveReference(ref, object.metadata.namespace ?? 'default');
  const spec = context(namespace, name)?.spec;
  if (!spec) return undefined;
  return `${spec.organizationId ?? 'DEFAULT'}|${spec.environmentId ?? 'DEFAULT'}`;
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
  // v2 plans are a list, named by id; pages are maps in both definitions.
  const maps =
    kind === 'ApiV4Definition' ? (['plans', 'pages'] as const) : kind === 'ApiDefinition' ? (['pages'] as const) : [];
  return maps.flatMap((map) =>
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

const PHASES = ['request', 'response', 'subscribe', 'publish', 'connect', 'interact'] as const;
type RawStep = { policy?: string; sharedPolicyGroupRef?: unknown };
type RawFlow = Partial<Record<(typeof PHASES)[number], RawStep[]>>;

/**
 * Steps that run a shared policy group by its ids rather than through sharedPolicyGroupRef: they would
 * reach any group of the environment, past the namespace boundaries references are held to.
 */
function sharedPolicyGroupStepProblems(spec: Record<string, unknown>): IdentityProblem[] {
  const flows: [string, RawFlow[] | undefined][] = [
    ['spec.flows', spec['flows'] as RawFlow[] | undefined],
    ...Object.entries((spec['plans'] as Record<string, { flows?: RawFlow[] }> | undefined) ?? {}).map(
      ([key, plan]) => [`spec.plans.${key}.flows`, plan?.flows] as [string, RawFlow[] | undefined],
    ),
  ];
  return flows.flatMap(([field, list]) =>
    (list ?? []).flatMap((flow, i) =>
      PHASES.flatMap((phase) =>
        (flow?.[phase] ?? []).flatMap((step, j) =>
          step?.policy === SHARED_POLICY_GROUP_POLICY && !step.sharedPolicyGroupRef
            ? [
                {
                  path: `${field}[${i}].${phase}[${j}].policy`,
                  message: `${SHARED_POLICY_GROUP_POLICY} is set by the operator: name the group with sharedPolicyGroupRef`,
                },
              ]
            : [],
        ),
      ),
    ),
  );
}

/**
 * Everything wrong with how an object names what it manages in APIM: a spec.hrid other than the one
 * its namespace and name make, a spec.id that would move an object APIM knows to another object, a
 * step running a shared policy group by its ids, and any value another object holds first.
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
  if (kind === 'ApiV4Definition') problems.push(...sharedPolicyGroupStepProblems(spec));
  const known = text(object.status?.id);
  if (spec.contextRef && known && text(spec.id) && spec.id !== known)
    problems.push({
      path: 'spec.id',
      message: `APIM knows this object as ${automationManaged(object.status) ? `${hrid} (id ${known})` : known}: spec.id may only repeat that id`,
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
    sameEnvironment: (a, b) => {
      const [one, other] = [environmentKey(a, context), environmentKey(b, context)];
      return one === undefined || other === undefined || one === other;
    },
  };
}

/** An object naming, by its spec.id, an APIM object that another object manages by HRID. */
export class IdentityConflictError extends Error {
  override name = 'IdentityConflictError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/**
 * Before an object's spec.id takes an APIM object over for the first time: the object found there
 * must not be one another object manages by its HRID (one not synchronised yet claims its HRID alone,
 * which the ids claimed do not show). Throws IdentityConflictError naming that object.
 */
export function assertFreeToTakeOver(
  object: ClaimingObject,
  stored: { hrid?: string | null } | undefined,
  lookup: ClaimLookup,
): void {
  const kind = object.kind ?? '';
  const family = IDENTITY_FAMILIES[kind];
  const hrid = text(stored?.hrid);
  if (!family || !hrid || hrid === objectHrid(object.metadata)) return;
  const kinds = Object.keys(IDENTITY_FAMILIES).filter((k) => IDENTITY_FAMILIES[k] === family);
  const owner = kinds
    .flatMap((k) => lookup.claiming(k, `${family}/hrid/${hrid}`))
    .find((other) => !same(other, object));
  if (owner)
    throw new IdentityConflictError(
      'spec.id',
      `${object.spec?.id} is the APIM object known as ${hrid}, which ${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name} manages: an object can only take over an APIM object that no other object manages`,
    );
}

/**
 * The first take-over of an APIM object by spec.id (known by UUID, no id reported yet): reads the
 * object there and refuses it when another object manages it by HRID. Nothing to read otherwise.
 */
export async function checkTakeOver(
  object: ClaimingObject,
  ids: ApimIds,
  read: (hrid: string, options: { hridContainsUUID: true }) => Promise<{ hrid?: string | null } | undefined>,
  lookup: ClaimLookup,
): Promise<void> {
  if (!ids.hridContainsUUID || object.status?.id || !text(object.spec?.id)) return;
  assertFreeToTakeOver(object, await read(ids.hrid, { hridContainsUUID: true }), lookup);
}
