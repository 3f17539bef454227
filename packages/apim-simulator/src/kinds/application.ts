// Applications: a client id belongs to one application only; unknown members and groups are dropped.
import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { Findings, checkGroups, checkMembers, objectId, withErrors } from './findings.ts';

export function importApplication(
  env: EnvironmentState,
  body: Automation.ApplicationSpec,
  hridContainsUUID: boolean,
): { state: Automation.ApplicationState; findings: Findings } {
  const findings = new Findings();
  const clientId = body.settings?.app?.clientId;
  if (clientId) {
    for (const [hrid, other] of env.applications) {
      if (hrid !== body.hrid && other.settings?.app?.clientId === clientId)
        findings.severe.push(`client id [${clientId}] is already used by application [${hrid}]`);
    }
  }
  const state: Automation.ApplicationState = {
    ...body,
    members: checkMembers(body.members, env, findings),
    groups: checkGroups(body.groups, env, findings),
    id: objectId(env, 'application', body.hrid, hridContainsUUID),
    organizationId: env.organizationId,
    environmentId: env.id,
  };
  return { state: withErrors(state, findings), findings };
}
