import type { Group, GroupStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact, objectHrid } from '../../hrid.ts';
import { baseStatus } from '../status.ts';

export function toGroupSpec(group: Group): A.GroupSpec {
  const spec = group.spec;
  return compact({
    hrid: objectHrid(group.metadata, spec.hrid),
    name: spec.name,
    notifyMembers: spec.notifyMembers ?? true,
    members: spec.members.map((m) => ({ source: m.source, sourceId: m.sourceId, roles: m.roles ?? {} })),
  });
}

export function groupStatus(state: A.GroupState): GroupStatus {
  return compact({ ...baseStatus(state), members: state.memberCount });
}
