// How the mappings read other objects of the cluster, without knowing where they are kept.
import {
  resolveReference,
  type ApiResource,
  type Group,
  type Notification,
  type ObjectReference,
  type SharedPolicyGroup,
} from '@gko/api';
import { sharedPolicyGroupIds } from '../identity/apim-ids.ts';
import type { ApiReferences } from './references.ts';

/** An object of one of our kinds, by kind, namespace and name. */
export type ObjectLookup = (kind: string, namespace: string, name: string) => unknown;

/** The decoded data of a Secret or of a ConfigMap. */
/** Data of a Secret or ConfigMap for an object of namespace `from`; undefined when missing or not granted. */
export type DataLookup = (
  kind: 'Secret' | 'ConfigMap',
  namespace: string,
  name: string,
  from: string,
) => Record<string, string> | undefined;

interface ApiLike {
  metadata: { namespace?: string };
  spec: { groupRefs?: ObjectReference[]; notificationsRefs?: ObjectReference[] };
}

/** Everything an API refers to, read through the lookup. */
export function apiReferences(api: ApiLike, lookup: ObjectLookup): ApiReferences {
  const namespace = api.metadata.namespace ?? 'default';
  const find = <T>(kind: string, ref: ObjectReference) => {
    const { namespace: ns, name } = resolveReference(ref, namespace);
    return lookup(kind, ns, name) as T | undefined;
  };
  const groupNames = (refs: ObjectReference[] | undefined) =>
    (refs ?? []).map((ref) => find<Group>('Group', ref)?.spec.name).filter((n): n is string => !!n);
  const console = (api.spec.notificationsRefs ?? [])
    .map((ref) => find<Notification>('Notification', ref))
    .find((n) => n && (n.spec.target ?? 'console') === 'console');
  return {
    resource: (ref) => (lookup('ApiResource', ref.namespace, ref.name) as ApiResource | undefined)?.spec,
    sharedPolicyGroup: (ref) => {
      const group = lookup('SharedPolicyGroup', ref.namespace, ref.name) as SharedPolicyGroup | undefined;
      if (!group) return undefined;
      const ids = sharedPolicyGroupIds(group);
      return {
        ...(ids.hridContainsUUID ? {} : { hrid: ids.hrid }),
        ...(group.status?.crossId ? { crossId: group.status.crossId } : {}),
        name: group.spec.name,
      };
    },
    groupNames: groupNames(api.spec.groupRefs),
    ...(console
      ? {
          consoleNotification: {
            events: console.spec.console?.apiEvents ?? [],
            groups: [...(console.spec.console?.groups ?? []), ...groupNames(console.spec.console?.groupRefs)],
          },
        }
      : {}),
  };
}
