// Which objects of the cluster refer to a given one, found through an index of what each object refers
// to (not a scan): what delete guards need, and what the subscribed-plan check of API updates needs.
import {
  DEPENDS_ON_INDEX,
  dependencyKey,
  kindDefinition,
  type KindName,
  type ObjectReference,
  type Subscription,
} from '@gko/api';
import { apiV4Ids, applicationIds, idFlags, type IdentifiedObject } from '@gko/mapi';
import { findContext } from './context.ts';
import { error, warning, type Finding, type KubeObject, type Lookups } from './rule.ts';
import { compiled } from './templates.ts';

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export const CONTEXT_USERS: KindName[] = [
  'ApiDefinition',
  'ApiV4Definition',
  'Application',
  'SharedPolicyGroup',
  'Group',
  'Dictionary',
  'Portal',
];

/** The objects of the given kinds that refer to the target ("namespace/name"), through the index. */
export function usersOf(
  lookups: Lookups,
  targetKind: string,
  target: string,
  userKinds: readonly KindName[],
): { kind: KindName; object: KubeObject }[] {
  const slash = target.indexOf('/');
  const key = dependencyKey({ kind: targetKind, namespace: target.slice(0, slash), name: target.slice(slash + 1) });
  return userKinds.flatMap((kind) =>
    lookups.byIndex<KubeObject>(kind, DEPENDS_ON_INDEX, key).map((object) => ({ kind, object })),
  );
}

export function contextUsers(lookups: Lookups, target: string): { kind: KindName; object: KubeObject }[] {
  return usersOf(lookups, 'ManagementContext', target, CONTEXT_USERS);
}

/** DELETE of an API or an application: refused while Subscriptions point to it. */
export async function subscriptionGuard(
  lookups: Lookups,
  kind: 'ApiDefinition' | 'ApiV4Definition' | 'Application',
  object: KubeObject,
): Promise<Finding[]> {
  const namespace = object.metadata.namespace ?? '';
  const name = object.metadata.name ?? '';
  const users = subscriptionsOf(lookups, kind, `${namespace}/${name}`).map((user) => ({
    kind: 'Subscription',
    object: user,
  }));
  const findings = deleteGuard(users, 'delete its subscriptions first');
  if (findings.length === 0 || !(await goneFromApim(kind, object, lookups))) return findings;
  return [
    warning(
      '',
      `${kind} ${namespace}/${name} is no longer in APIM, so none of its subscriptions is open there: deleted, although Subscription objects still name it`,
    ),
  ];
}

/**
 * Whether APIM says the object is not there (any more). Anything else (no context, APIM unreachable,
 * an answer that is not a 404) is a no: a guard stays up when in doubt.
 */
async function goneFromApim(kind: string, object: KubeObject, lookups: Lookups): Promise<boolean> {
  const spec = object.spec as { contextRef?: ObjectReference; hrid?: string } | undefined;
  const status = object.status as { id?: string } | undefined;
  const namespace = object.metadata.namespace ?? '';
  // Only what was in APIM can be gone from it: an object never synchronised keeps its guard.
  if (!status?.id) return false;
  const { context } = findContext(spec?.contextRef, namespace, lookups);
  if (!context) return false;
  try {
    const client = lookups.apim(compiled(context, context.metadata.namespace ?? namespace, lookups));
    // A 404 only means "gone" from the environment the object was synchronised to: that environment
    // must answer first (a context pointed elsewhere would make everything look gone).
    await client.environment();
    if (kind === 'ApiDefinition') return !(await client.v2Apis.get(status.id));
    const identified = { metadata: object.metadata, spec: spec ?? {}, status: object.status } as IdentifiedObject;
    const ids = kind === 'Application' ? applicationIds(identified) : apiV4Ids(identified);
    const collection = kind === 'Application' ? client.applications : client.apis;
    return !(await collection.get(ids.hrid, idFlags(ids)));
  } catch {
    return false;
  }
}

export function subscriptionsOf(
  lookups: Lookups,
  kind: 'ApiDefinition' | 'ApiV4Definition' | 'Application',
  target: string,
): Subscription[] {
  return usersOf(lookups, kind, target, ['Subscription']).map((u) => u.object as Subscription);
}

export function sharedPolicyGroupUsers(lookups: Lookups, target: string): KubeObject[] {
  return usersOf(lookups, 'SharedPolicyGroup', target, ['ApiV4Definition']).map((u) => u.object);
}

/**
 * Denies a delete while other objects still use the one being deleted, listing them. Users already
 * being deleted do not count (as in `kubectl delete -f dir/`, or a GitOps prune): the controllers hold
 * the object until they are gone.
 */
export function deleteGuard(all: { kind: string; object: KubeObject }[], advice: string): Finding[] {
  const users = all.filter((u) => !u.object.metadata.deletionTimestamp);
  if (users.length === 0) return [];
  const shown = users.slice(0, 5).map((u) => `${u.kind} ${key(u.object)}`);
  const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
  const plurals = [...new Set(users.map((u) => kindDefinition(u.kind)?.plural ?? u.kind.toLowerCase()))].join(',');
  return [error('', `still used by ${shown.join(', ')}${more}; ${advice} (kubectl get ${plurals} -A)`)];
}
