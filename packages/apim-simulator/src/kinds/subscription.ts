// Subscriptions: the API, its plan and the application must exist; key-less plans take no
// subscription; chosen API keys are only for API key plans, and must be unique.
import type { Automation } from '@gko/mapi';
import type { EnvironmentState } from '../state.ts';
import { duplicates, objectId } from './findings.ts';

export type SubscriptionOutcome =
  | { ok: true; state: Automation.SubscriptionState }
  | { ok: false; status: 400 | 404; message: string; technicalCode: string };

export function importSubscription(
  env: EnvironmentState,
  apiHrid: string,
  body: Automation.SubscriptionSpec,
  now: Date,
): SubscriptionOutcome {
  const api = env.apis.get(apiHrid);
  if (!api)
    return { ok: false, status: 404, message: `API [${apiHrid}] cannot be found`, technicalCode: 'api.notFound' };
  const plan = (api.plans ?? []).find((p) => p.hrid === body.planHrid);
  if (!plan)
    return {
      ok: false,
      status: 404,
      message: `plan [${body.planHrid}] cannot be found in API [${apiHrid}]`,
      technicalCode: 'plan.notFound',
    };
  if (!env.applications.has(body.applicationHrid)) {
    return {
      ok: false,
      status: 404,
      message: `application [${body.applicationHrid}] cannot be found`,
      technicalCode: 'application.notFound',
    };
  }
  const security = plan.security?.type;
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
      id: objectId(env, `subscription:${apiHrid}`, body.hrid),
      apiHrid,
      organizationId: env.organizationId,
      environmentId: env.id,
      startingAt: existing?.startingAt ?? now.toISOString(),
    },
  };
}
