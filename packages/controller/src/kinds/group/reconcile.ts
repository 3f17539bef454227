// A Group is one Automation API object, with its members and their roles. APIs (and the
// Notifications of APIs) name groups through groupRefs: a change re-synchronises them through the
// dependency routes. Nothing holds a group's deletion: its APIs are synchronised again without it.
import type { Group } from '@gko/api';
import { groupStatus, toGroupSpec, groupIds, type Automation } from '@gko/mapi';
import { automationKind, type AutomationObject } from '../../sync/automation-kind.ts';
import { synchronizer } from '../../sync/synchronizer.ts';

export const GROUP_FINALIZER = 'finalizers.gravitee.io/groups';

export const groupSync = automationKind<Group & AutomationObject, Automation.GroupSpec, Automation.GroupState>({
  kind: 'Group',
  finalizer: GROUP_FINALIZER,
  ids: groupIds,
  collection: (client) => client.groups,
  body: ({ object }) => ({ body: toGroupSpec(object) }),
  status: groupStatus,
});

export const reconcileGroup = synchronizer(groupSync);
