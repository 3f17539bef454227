// Shared policy groups: the phase must exist for the API type.
import type { Automation } from '@gko/mapi';
import { apimUuid } from '../ids.ts';
import type { EnvironmentState } from '../state.ts';
import { Findings, keyOf, objectId, withErrors } from './findings.ts';

const PHASES: Record<string, string[]> = {
  PROXY: ['REQUEST', 'RESPONSE'],
  MESSAGE: ['REQUEST', 'RESPONSE', 'PUBLISH', 'SUBSCRIBE'],
};

export function importSharedPolicyGroup(
  env: EnvironmentState,
  body: Automation.SharedPolicyGroupSpec,
  hridContainsUUID: boolean,
): { state: Automation.SharedPolicyGroupState; findings: Findings; key?: string } {
  const findings = new Findings();
  if (!PHASES[body.apiType]?.includes(body.phase))
    findings.severe.push(`Invalid phase ${body.phase} for API type ${body.apiType}`);
  // A group known by UUID (hridContainsUUID) is found by its crossId, else by the id it is named by.
  const key = hridContainsUUID
    ? (keyOf(env.sharedPolicyGroups, (g) => !!body.crossId && g.crossId === body.crossId) ??
      keyOf(env.sharedPolicyGroups, (g) => g.id === body.hrid))
    : undefined;
  const existing = env.sharedPolicyGroups.get(key ?? body.hrid);
  const state: Automation.SharedPolicyGroupState = {
    ...body,
    id: existing?.id ?? objectId(env, 'shared-policy-group', body.hrid, hridContainsUUID),
    crossId:
      existing?.crossId ??
      body.crossId ??
      apimUuid('cross-id', env.organizationId, env.id, 'shared-policy-group', body.hrid),
    organizationId: env.organizationId,
    environmentId: env.id,
  };
  return { state: withErrors(state, findings), findings, ...(key ? { key } : {}) };
}
