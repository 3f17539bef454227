// Shared policy groups: the phase must exist for the API type.
import { deterministicUuid, type Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, objectId, withErrors } from './findings.ts';

const PHASES: Record<string, string[]> = {
  PROXY: ['REQUEST', 'RESPONSE'],
  MESSAGE: ['REQUEST', 'RESPONSE', 'PUBLISH', 'SUBSCRIBE'],
};

export function importSharedPolicyGroup(
  env: EnvironmentState,
  body: Automation.SharedPolicyGroupSpec,
  hridContainsUUID: boolean,
): { state: Automation.SharedPolicyGroupState; findings: Findings } {
  const findings = new Findings();
  if (!PHASES[body.apiType]?.includes(body.phase))
    findings.severe.push(`Invalid phase ${body.phase} for API type ${body.apiType}`);
  const existing = env.sharedPolicyGroups.get(body.hrid);
  const state: Automation.SharedPolicyGroupState = {
    ...body,
    id: objectId(env, 'shared-policy-group', body.hrid, hridContainsUUID),
    crossId:
      existing?.crossId ?? deterministicUuid('cross-id', env.organizationId, env.id, 'shared-policy-group', body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
  };
  return { state: withErrors(state, findings), findings };
}
