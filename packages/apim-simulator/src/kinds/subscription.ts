// Subscriptions: the API, its plan and the application must exist; key-less plans take no
// subscription; chosen API keys are only for API key plans, and must be unique. Objects created
// before HRIDs existed are named by their UUIDs, with the hridContains*UUID flags. An API named by its
// UUID (every v2 API, imported through mAPI v1, and v4 APIs known by UUID) has its plan named by the
// plan's id, as APIM takes `planHrid` as the plan id then.
import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { duplicates, objectId } from './findings.ts';

export interface SubscriptionFlags {
  hridContainsUUID: boolean;
  hridContainsApiUUID: boolean;
  hridContainsAppUUID: boolean;
}

export type SubscriptionOutcome =
  | { ok: true; state: Automation.SubscriptionState; planId: string }
  | { ok: false; status: 400 | 404; message: string; technicalCode: string };

interface FoundPlan {
  id: string;
  /** How the request names the plan: by HRID, or by id for an API named by its UUID. */
  name: string;
  security?: string;
}

/** The plans of the API named in the path, or undefined when there is no such API. */
function plansOf(env: EnvironmentState, apiHrid: string, byUuid: boolean): FoundPlan[] | undefined {
  const v4 = byUuid ? [...env.apis.values()].find((api) => api.id === apiHrid) : env.apis.get(apiHrid);
  if (v4)
    return (v4.plans ?? []).map((p) => ({
      id: p.id ?? '',
      name: byUuid ? (p.id ?? '') : p.hrid,
      security: p.security?.type,
    }));
  const v2 = byUuid ? env.v2Apis.get(apiHrid) : undefined;
  return v2?.definition.plans?.map((p) => ({ id: p.id ?? '', name: p.id ?? '', security: p.security }));
}

/**
 * Plans an update of their API left out are deleted by APIM, and their subscriptions closed: what an
 * operator that lost track of plan ids would cost its users.
 */
export function closeRemovedPlans(
  env: EnvironmentState,
  before: { id?: string }[] | undefined,
  after: { id?: string }[] | undefined,
): void {
  const kept = new Set((after ?? []).map((p) => p.id));
  const removed = new Set((before ?? []).map((p) => p.id).filter((id) => id && !kept.has(id)));
  if (removed.size === 0) return;
  for (const [apiHrid, active] of env.subscriptions) {
    for (const [hrid, subscription] of active) {
      const key = `${apiHrid}/${hrid}`;
      if (!removed.has(env.subscriptionPlans.get(key))) continue;
      active.delete(hrid);
      env.subscriptionPlans.delete(key);
      env.closedSubscriptions.set(key, { ...subscription, closedAt: new Date().toISOString() });
    }
  }
}

function applicationExists(env: EnvironmentState, hrid: string, byUuid: boolean): boolean {
  return byUuid ? [...env.applications.values()].some((app) => app.id === hrid) : env.applications.has(hrid);
}

export function importSubscription(
  env: EnvironmentState,
  apiHrid: string,
  body: Automation.SubscriptionSpec,
  flags: SubscriptionFlags,
  now: Date,
): SubscriptionOutcome {
  const plans = plansOf(env, apiHrid, flags.hridContainsApiUUID);
  if (!plans)
    return { ok: false, status: 404, message: `API [${apiHrid}] cannot be found`, technicalCode: 'api.notFound' };
  const plan = plans.find((p) => p.name === body.planHrid);
  if (!plan)
    return {
      ok: false,
      status: 404,
      message: `plan [${body.planHrid}] cannot be found in API [${apiHrid}]`,
      technicalCode: 'plan.notFound',
    };
  if (!applicationExists(env, body.applicationHrid, flags.hridContainsAppUUID)) {
    return {
      ok: false,
      status: 404,
      message: `application [${body.applicationHrid}] cannot be found`,
      technicalCode: 'application.notFound',
    };
  }
  const security = plan.security;
  if (security === 'KEY_LESS')
    return {
      ok: false,
      status: 400,
      message: `plan [${body.planHrid}] is key-less and takes no subscription`,
      technicalCode: 'plan.keyless',
    };
  const keys = (body.apiKeys ?? []).map((k) => k.key);
  if (keys.length > 0 && security !== 'API_KEY') {
    return {
      ok: false,
      status: 400,
      message: `API keys can only be given for API key plans, and plan [${body.planHrid}] is ${security}`,
      technicalCode: 'subscription.apiKeys.plan',
    };
  }
  const repeated = duplicates(keys);
  if (repeated.length > 0)
    return {
      ok: false,
      status: 400,
      message: `API key [${repeated[0]!.slice(0, 4)}…] is given twice`,
      technicalCode: 'subscription.apiKeys.duplicate',
    };
  const existing = env.subscriptions.get(apiHrid)?.get(body.hrid);
  return {
    ok: true,
    state: {
      ...body,
      id: objectId(env, `subscription:${apiHrid}`, body.hrid, flags.hridContainsUUID),
      apiHrid,
      organizationId: env.organizationId,
      environmentId: env.id,
      startingAt: existing?.startingAt ?? now.toISOString(),
    },
    planId: plan.id,
  };
}
