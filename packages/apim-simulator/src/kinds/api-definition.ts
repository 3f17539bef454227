// v2 APIs (mAPI v1 import-crd): the same context-path and member rules as v4 APIs. As APIM does, the
// API is found by its crossId: an existing one keeps its id, and so do its plans and pages, matched by
// crossId; a new one takes the ids it is sent.
import { v2ContextPaths, type ManagementV1 } from '@gko/mapi';
import { apimUuid } from '../ids.ts';
import type { EnvironmentState } from '../state.ts';
import { checkPaths } from './api-v4-definition.ts';
import { Findings, checkCategories, checkGroups, checkMembers, keyOf } from './findings.ts';

type Plan = NonNullable<ManagementV1.ApiV2Definition['plans']>[number];

function planId(plan: Plan, apiId: string, existing: Plan[] | undefined): string {
  if (!existing) return plan.id ?? apimUuid(apiId, 'plan', plan.name);
  const same = plan.crossId ? existing.find((p) => p.crossId === plan.crossId) : undefined;
  if (same?.id) return same.id;
  // On an update, a plan with a crossId APIM does not know is a new plan: APIM gives it a new id.
  return plan.crossId ? apimUuid(apiId, 'plan', plan.crossId) : (plan.id ?? apimUuid(apiId, 'plan', plan.name));
}

export function importApiV2(
  env: EnvironmentState,
  definition: ManagementV1.ApiV2Definition,
): { definition: ManagementV1.ApiV2Definition; status: ManagementV1.ApiV2ImportStatus; findings: Findings } {
  const findings = new Findings();
  const key = keyOf(env.v2Apis, (api) => api.status.crossId === definition.crossId);
  const existing = key ? env.v2Apis.get(key) : undefined;
  const id = existing?.status.id ?? definition.id;
  checkPaths(v2ContextPaths(definition.proxy), id, env, findings);
  const plans = (definition.plans ?? []).map((p) => ({
    ...p,
    id: planId(p, id, existing?.definition.plans),
  }));
  const stored: ManagementV1.ApiV2Definition = {
    ...definition,
    id,
    plans,
    members: checkMembers(definition.members, env, findings),
    categories: checkCategories(definition.categories, env, findings),
    groups: checkGroups(definition.groups, env, findings),
  };
  const errors = findings.errors();
  const status: ManagementV1.ApiV2ImportStatus = {
    id,
    crossId: definition.crossId,
    organizationId: env.organizationId,
    environmentId: env.id,
    state: definition.state ?? 'STARTED',
    plans: Object.fromEntries(plans.map((p) => [p.crossId ?? p.name, p.id])),
    ...(errors ? { errors } : {}),
  };
  return { definition: stored, status, findings };
}
