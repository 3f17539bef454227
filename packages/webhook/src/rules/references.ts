// Which objects of the cluster refer to a given one: what delete guards need, and what the
// subscribed-plan check of API updates needs.
import {
  kindDefinition,
  referenceKey,
  v4Steps,
  type ApiV4Definition,
  type KindName,
  type ObjectReference,
  type Subscription,
} from '@gko/api';
import { error, type Finding, type KubeObject, type Lookups } from './rule.ts';

const key = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const refersTo = (ref: ObjectReference | undefined, from: KubeObject, target: string) =>
  !!ref && referenceKey(ref, from.metadata.namespace ?? '') === target;

export const CONTEXT_USERS: KindName[] = [
  'ApiDefinition',
  'ApiV4Definition',
  'Application',
  'SharedPolicyGroup',
  'Group',
  'Dictionary',
];

export function contextUsers(lookups: Lookups, target: string): { kind: KindName; object: KubeObject }[] {
  return CONTEXT_USERS.flatMap((kind) =>
    lookups
      .list<KubeObject & { spec: { contextRef?: ObjectReference } }>(kind)
      .filter((o) => refersTo(o.spec.contextRef, o, target))
      .map((object) => ({ kind, object })),
  );
}

/** DELETE of an API or an application: refused while Subscriptions point to it. */
export function subscriptionGuard(
  lookups: Lookups,
  kind: 'ApiDefinition' | 'ApiV4Definition' | 'Application',
  namespace: string,
  name: string,
): Finding[] {
  const users = subscriptionsOf(lookups, kind, `${namespace}/${name}`).map((object) => ({
    kind: 'Subscription',
    object,
  }));
  return deleteGuard(users, 'delete its subscriptions first');
}

export function subscriptionsOf(
  lookups: Lookups,
  kind: 'ApiDefinition' | 'ApiV4Definition' | 'Application',
  target: string,
): Subscription[] {
  return lookups
    .list<Subscription>('Subscription')
    .filter((s) =>
      kind === 'Application'
        ? refersTo(s.spec.application, s, target)
        : refersTo(s.spec.api, s, target) && (s.spec.api.kind ?? 'ApiV4Definition') === kind,
    );
}

export function sharedPolicyGroupUsers(lookups: Lookups, target: string): KubeObject[] {
  return lookups
    .list<ApiV4Definition>('ApiV4Definition')
    .filter((api) => v4Steps(api.spec).some(({ step }) => refersTo(step.sharedPolicyGroupRef, api, target)));
}

export function listUsers(
  lookups: Lookups,
  kinds: KindName[],
  field: (spec: Record<string, unknown>) => (ObjectReference | undefined)[],
  target: string,
): { kind: KindName; object: KubeObject }[] {
  return kinds.flatMap((kind) =>
    lookups
      .list<KubeObject & { spec: Record<string, unknown> }>(kind)
      .filter((o) => field(o.spec).some((ref) => refersTo(ref, o, target)))
      .map((object) => ({ kind, object })),
  );
}

/** Denies a delete while other objects still use the one being deleted, listing them. */
export function deleteGuard(users: { kind: string; object: KubeObject }[], advice: string): Finding[] {
  if (users.length === 0) return [];
  const shown = users.slice(0, 5).map((u) => `${u.kind} ${key(u.object)}`);
  const more = users.length > 5 ? ` and ${users.length - 5} more` : '';
  const plurals = [...new Set(users.map((u) => kindDefinition(u.kind)?.plural ?? u.kind.toLowerCase()))].join(',');
  return [error('', `still used by ${shown.join(', ')}${more}; ${advice} (kubectl get ${plurals} -A)`)];
}
