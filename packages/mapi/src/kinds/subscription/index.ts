import type { Subscription, SubscriptionStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { subscriptionIds } from '../../identity/apim-ids.ts';

export interface SubscriptionTargets {
  applicationHrid: string;
  planHrid: string;
}

/** A Subscription as the Automation API takes it (the API goes in the path). */
export function toSubscriptionSpec(subscription: Subscription, targets: SubscriptionTargets): A.SubscriptionSpec {
  const spec = subscription.spec;
  return compact({
    hrid: subscriptionIds(subscription).hrid,
    applicationHrid: targets.applicationHrid,
    planHrid: targets.planHrid,
    endingAt: spec.endingAt,
    metadata: spec.metadata,
    apiKeys: spec.apiKeys?.map((k) => compact({ key: k.key, expireAt: k.expireAt })),
    consumerConfiguration: spec.consumerConfiguration
      ? compact({
          entrypointId: spec.consumerConfiguration.entrypointId,
          channel: spec.consumerConfiguration.channel,
          entrypointConfiguration: spec.consumerConfiguration.entrypointConfiguration,
        })
      : undefined,
  });
}

export function subscriptionStatus(state: A.SubscriptionState): SubscriptionStatus {
  return compact({ id: state.id, startedAt: state.startingAt, endingAt: state.endingAt });
}
