// Subscriptions: the API, its plan and the application must exist; key-less plans take no
// subscription; chosen API keys are only for API key plans, and must be unique. Objects created
// before HRIDs existed are named by their UUIDs, with the hridContains*UUID flags. A v2 API (imported
// through mAPI v1) is always named by its UUID; its plans by their names.
import { keyHrid, type Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { duplicates, objectId } from './findings.ts';

export interface SubscriptionFlags {
  hridContainsUUID: boolean;
  hridContainsApiUUID: boolean;
  hridContainsAppUUID: boolean;
}

export type SubscriptionOutcome =
  | { ok: true; state: Automation.SubscriptionState }
  | { ok: false; status: 400 | 404; message: string; technicalCode: string };

interface FoundPlan {
  hrid: string;
  security?: string;
}

/** The plans of the API named in the path, or undefined when there is no such API. */
function plansOf(env: EnvironmentState, apiHrid: string, byUuid: boolean): FoundPlan[] | undefined {
  const v4 = byUuid ? [...env.apis.values()].find((api) => api.id === apiHrid) : env.apis.get(apiHrid);
  if (v4) return (v4.plans ?? []).map((p) => ({ hrid: p.hrid, security: p.security?.type }));
  const v2 = byUuid ? env.v2Apis.get(apiHrid) : undefined;
  return v2?.definition.plans?.map((p) => ({ hrid: keyHrid(p.name), security: p.security }));
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
  const plan = plans.find((p) => p.hrid === body.planHrid);
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
      message: `plan [${plan.hrid}] is key-less and takes no subscription`,
      technicalCode: 'plan.keyless',
    };
  const keys = (body.apiKeys ?? []).map((k) => k.key);
  if (keys.length > 0 && security !== 'API_KEY') {
    return {
      ok: false,
      status: 400,
      message: `API keys can only be given for API key plans, and plan [${plan.hrid}] is ${security}`,
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
  };
}
