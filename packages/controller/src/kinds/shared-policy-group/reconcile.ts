// A SharedPolicyGroup is one Automation API object. v4 APIs refer to it by the ids APIM gives it
// (status.crossId): when those or its spec change, the dependency routes re-synchronise every API
// using it. Its deletion waits while APIs still use it.
import type { SharedPolicyGroup } from '@gko/api';
import { sharedPolicyGroupStatus, toSharedPolicyGroupSpec, sharedPolicyGroupIds, type Automation } from '@gko/mapi';
import { usersOf } from '../../dependencies/users.ts';
import { automationKind, type AutomationObject } from '../../sync/automation-kind.ts';
import { synchronizer } from '../../sync/synchronizer.ts';

export const SHARED_POLICY_GROUP_FINALIZER = 'finalizers.gravitee.io/sharedpolicygroups';

type Group = SharedPolicyGroup & AutomationObject;

export const sharedPolicyGroupSync = automationKind<
  Group,
  Automation.SharedPolicyGroupSpec,
  Automation.SharedPolicyGroupState
>({
  kind: 'SharedPolicyGroup',
  finalizer: SHARED_POLICY_GROUP_FINALIZER,
  ids: sharedPolicyGroupIds,
  collection: (client) => client.sharedPolicyGroups,
  body: ({ object }) => ({ body: toSharedPolicyGroupSpec(object) }),
  status: sharedPolicyGroupStatus,
  users: (object, context) => usersOf(context.cache, object),
});

export const reconcileSharedPolicyGroup = synchronizer(sharedPolicyGroupSync);
