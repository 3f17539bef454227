// v2 APIs (mAPI v1 import-crd): the same context-path and member rules as v4 APIs.
import { deterministicUuid, v2ContextPaths, type ManagementV1 } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { checkPaths } from './api-v4-definition.ts';
import { Findings, checkCategories, checkGroups, checkMembers } from './findings.ts';

export function importApiV2(
  env: EnvironmentState,
  definition: ManagementV1.ApiV2Definition,
): { definition: ManagementV1.ApiV2Definition; status: ManagementV1.ApiV2ImportStatus; findings: Findings } {
  const findings = new Findings();
  checkPaths(v2ContextPaths(definition.proxy), definition.id, env, findings);
  const plans = (definition.plans ?? []).map((p) => ({
    ...p,
    id: p.id ?? deterministicUuid(definition.id, 'plan', p.name),
  }));
  const stored: ManagementV1.ApiV2Definition = {
    ...definition,
    plans,
    members: checkMembers(definition.members, env, findings),
    categories: checkCategories(definition.categories, env, findings),
    groups: checkGroups(definition.groups, env, findings),
  };
  const errors = findings.errors();
  const status: ManagementV1.ApiV2ImportStatus = {
    id: definition.id,
    crossId: definition.crossId,
    organizationId: env.organizationId,
    environmentId: env.id,
    state: definition.state ?? 'STARTED',
    plans: Object.fromEntries(plans.map((p) => [p.crossId ?? p.name, p.id])),
    ...(errors ? { errors } : {}),
  };
  return { definition: stored, status, findings };
}
