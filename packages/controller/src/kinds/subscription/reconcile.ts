// A Subscription is made in APIM under its API, through the API's context, once the API, its plan and
// the application exist there. Its API keys may come from Secrets (templates): a new key re-synchronises
// it. When spec.endingAt is reached it is closed in APIM and reported Ended; deleting it closes it too.
import type { Subscription } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import {
  subscriptionIds,
  subscriptionStatus,
  toSubscriptionSpec,
  type Automation,
  type SubscriptionIdOptions,
} from '@gko/mapi';
import type { ReconcileContext } from '../../reconcile/contract.ts';
import { ok, type Verdicts } from '../../status/conditions.ts';
import { managedVerdict, type ApimIds } from '../../sync/apim-ids.ts';
import { differingFields, missingFromApim } from '../../sync/compare.ts';
import { clientForDelete, type ResolvedContext } from '../../sync/context.ts';
import { identityIssues } from '../../sync/identity.ts';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';
import { compileSpec } from '../../templating/compile.ts';
import { apiHridOf, subscribedApi, subscriptionTargets } from './targets.ts';

export const SUBSCRIPTION_FINALIZER = 'finalizers.gravitee.io/subscriptions';

type Sub = Subscription & SyncedObject;

interface SubscriptionPlan {
  context: ResolvedContext;
  apiHrid: string;
  ids: ApimIds;
  flags: SubscriptionIdOptions;
  body: Automation.SubscriptionSpec;
  ended: boolean;
}

/** Revisits are capped so that a far end date does not overflow a timer; each revisit re-arms the next. */
const MAX_REVISIT_MS = 24 * 60 * 60_000;

const endTime = (subscription: Sub) =>
  subscription.spec.endingAt ? Date.parse(subscription.spec.endingAt) : Number.POSITIVE_INFINITY;
const hasEnded = (subscription: Sub, context: ReconcileContext) => endTime(subscription) <= context.now().getTime();

function flagsOf(ids: ApimIds, targets: Pick<SubscriptionPlan, 'flags'>['flags']): SubscriptionIdOptions {
  return { ...targets, ...(ids.hridContainsUUID ? { hridContainsUUID: true } : {}) };
}

export const subscriptionSync: KindSync<Sub, SubscriptionPlan> = {
  kind: 'Subscription',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'Subscription')!,
  finalizer: SUBSCRIPTION_FINALIZER,
  plan(object, context) {
    const targets = subscriptionTargets(object, context);
    const ids = subscriptionIds(object);
    const names = { applicationHrid: targets.applicationHrid, planHrid: targets.planHrid };
    const namespace = object.metadata.namespace ?? 'default';
    const { spec, sources, secrets } = compileSpec(namespace, object.spec, context.cache, context.settings.templating);
    const ended = hasEnded(object, context);
    const flags = flagsOf(ids, targets.flags);
    return {
      // Written form (template markers, not keys), the APIM ids behind the names, and whether it ended.
      fingerprint: {
        body: { ...toSubscriptionSpec(object, names), hrid: ids.hrid },
        apiHrid: targets.apiHrid,
        flags,
        apimIds: targets.apimIds,
        context: targets.context.fingerprint,
        sources,
        ended,
      },
      needsFinalizer: true,
      // API keys are secrets whether written inline or taken from a Secret: kept out of every message.
      secrets: [...secrets, ...(spec.apiKeys ?? []).map((k) => k.key)],
      data: {
        context: targets.context,
        apiHrid: targets.apiHrid,
        ids,
        flags,
        body: { ...toSubscriptionSpec({ ...object, spec }, names), hrid: ids.hrid },
        ended,
      },
    };
  },
  async apply(object, plan, context) {
    const { apiHrid, ids, flags, body } = plan.data;
    const subscriptions = context.apim(plan.data.context.context).subscriptions(apiHrid);
    if (plan.data.ended) {
      await subscriptions.delete(ids.hrid, flags);
      const verdicts: Verdicts = {
        Ready: ok('Ended', `spec.endingAt (${object.spec.endingAt}) is reached: the subscription is closed in APIM`),
      };
      return { status: { endingAt: object.spec.endingAt }, summary: 'ended: closed in APIM', verdicts };
    }
    const state = await subscriptions.put(body, flags);
    return {
      // An end date removed from the spec must not survive in the status.
      status: { endingAt: undefined, ...subscriptionStatus(state) },
      summary: `subscribed in APIM as ${ids.hrid} to plan ${body.planHrid} of ${apiHrid}`,
      verdicts: managedVerdict(ids),
    };
  },
  async observe(_object, plan, context) {
    const { apiHrid, ids, flags } = plan.data;
    const stored = await context.apim(plan.data.context.context).subscriptions(apiHrid).get(ids.hrid, flags);
    return stored ? subscriptionStatus(stored) : undefined;
  },
  async compare(_object, plan, context, mode) {
    const { apiHrid, ids, flags, body, ended } = plan.data;
    // An ended subscription was closed: APIM may keep it, closed, which is no drift.
    if (ended) return [];
    const stored = await context.apim(plan.data.context.context).subscriptions(apiHrid).get(ids.hrid, flags);
    if (!stored) return [missingFromApim('subscription')];
    return mode === 'adopting-synced' ? [] : differingFields(body, stored);
  },
  revisitAfterMs(object, context) {
    const remaining = endTime(object) - context.now().getTime();
    return Number.isFinite(remaining) && remaining > 0 ? Math.min(remaining + 1_000, MAX_REVISIT_MS) : undefined;
  },
  async remove(object, context) {
    const { api } = subscribedApi(object, context);
    if (!api)
      return `the API of Subscription ${object.metadata.namespace}/${object.metadata.name} is gone from the cluster: APIM removed its subscriptions with it, unless it was deleted with the deletion policy orphan (then this subscription stays open in APIM)`;
    const named = apiHridOf(api);
    if (!api.spec.contextRef || !named) return;
    // The API names in APIM what another object manages: nothing of it is this subscription's to close.
    const apiIssues = identityIssues(api, context.cache);
    if (apiIssues.length > 0) return `not closed in APIM: its API is refused (${apiIssues.join('; ')})`;
    const client = clientForDelete(api, context, object);
    if (typeof client === 'string') return client;
    const ids = subscriptionIds(object);
    // The application's flag does not matter to name a subscription; the API's and its own do.
    await client
      .subscriptions(named.hrid)
      .delete(ids.hrid, flagsOf(ids, named.byUuid ? { hridContainsApiUUID: true } : {}));
  },
};

export const reconcileSubscription = synchronizer(subscriptionSync);
