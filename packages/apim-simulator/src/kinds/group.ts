// Groups: no member may be made primary owner; members whose user does not exist are dropped.
import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, PRIMARY_OWNER, checkMembers, objectId, withErrors } from './findings.ts';

export function importGroup(
  env: EnvironmentState,
  body: Automation.GroupSpec,
  hridContainsUUID: boolean,
): { state: Automation.GroupState; findings: Findings } {
  const findings = new Findings();
  for (const member of body.members ?? []) {
    if (Object.values(member.roles ?? {}).some((role) => role.toUpperCase() === PRIMARY_OWNER)) {
      findings.severe.push(`setting member [${member.sourceId}] with the primary owner role is not allowed`);
    }
  }
  const members = checkMembers(
    body.members?.map((m) => ({ ...m, role: undefined })),
    env,
    findings,
  ).map(({ role: _role, ...m }) => m);
  const state: Automation.GroupState = {
    ...body,
    members,
    id: objectId(env, 'group', body.hrid, hridContainsUUID),
    organizationId: env.organizationId,
    environmentId: env.id,
    memberCount: members.length,
  };
  return { state: withErrors(state, findings), findings };
}
