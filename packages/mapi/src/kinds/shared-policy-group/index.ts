import type { SharedPolicyGroup, SharedPolicyGroupStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact, objectHrid } from '../../hrid.ts';
import { policyStep } from '../shared.ts';
import { baseStatus } from '../status.ts';

export function toSharedPolicyGroupSpec(group: SharedPolicyGroup): A.SharedPolicyGroupSpec {
  const spec = group.spec;
  return compact({
    hrid: objectHrid(group.metadata, spec.hrid),
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
