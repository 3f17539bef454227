import type { Group, GroupStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { groupIds } from '../../identity/apim-ids.ts';
import { baseStatus } from '../status.ts';

export function toGroupSpec(group: Group): A.GroupSpec {
  const spec = group.spec;
  return compact({
    hrid: groupIds(group).hrid,
    name: spec.name,
    notifyMembers: spec.notifyMembers ?? true,
    members: spec.members.map((m) => ({ source: m.source, sourceId: m.sourceId, roles: m.roles ?? {} })),
  });
}

export function groupStatus(state: A.GroupState): GroupStatus {
  return compact({ ...baseStatus(state), members: state.memberCount });
}
