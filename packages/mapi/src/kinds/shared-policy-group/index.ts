import type { SharedPolicyGroup, SharedPolicyGroupStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { sharedPolicyGroupIds } from '../../identity/apim-ids.ts';
import { policyStep } from '../shared.ts';
import { baseStatus } from '../status.ts';

export function toSharedPolicyGroupSpec(group: SharedPolicyGroup): A.SharedPolicyGroupSpec {
  const spec = group.spec;
  const ids = sharedPolicyGroupIds(group);
  return compact({
    hrid: ids.hrid,
    // A group known by UUID is found by its crossId: the one its status records, unless the spec
    // names one.
    crossId: ids.hridContainsUUID ? spec.crossId || group.status?.crossId : spec.crossId || undefined,
    name: spec.name,
    description: spec.description,
    prerequisiteMessage: spec.prerequisiteMessage,
    apiType: spec.apiType,
    phase: spec.phase,
    steps: spec.steps?.map(policyStep),
  });
}

export function sharedPolicyGroupStatus(state: A.SharedPolicyGroupState): SharedPolicyGroupStatus {
  return compact({ ...baseStatus(state), crossId: state.crossId });
}
