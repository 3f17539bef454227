// What a subscription points at, as APIM names it: the API (and the context it is reached through),
// the plan and the application. A subscription can only be made once all three exist in APIM, which
// the status of the API and of the application tells: until then it waits, naming what is missing.
import {
  resolveReference,
  type ApiDefinition,
  type ApiV4Definition,
  type Application,
  type Subscription,
} from '@gko/api';
import {
  apiV4Ids,
  apiV4PlanId,
  applicationIds,
  keyHrid,
  v2ApiIds,
  v2PlanId,
  type SubscriptionIdOptions,
} from '@gko/mapi';
import type { ReconcileContext } from '../../reconcile/contract.ts';
import { InvalidSpecError, MissingReferenceError, notInApimYet } from '../../reconcile/errors.ts';
import { referencedContext, type ResolvedContext } from '../../sync/context.ts';
import { identityIssues } from '../../sync/identity.ts';
import type { SyncedObject } from '../../sync/synchronizer.ts';

export type ApiObject = (ApiV4Definition | ApiDefinition) & SyncedObject;

export interface SubscriptionTargets {
  api: ApiObject;
  context: ResolvedContext;
  apiHrid: string;
  applicationHrid: string;
  /** The plan's HRID, or its APIM id when the API is known by UUID (APIM then takes planHrid as an id). */
  planHrid: string;
  /** The APIM ids behind the HRIDs: a subscription is made again when its API or application is made again. */
  apimIds: { api: string; plan?: string; application: string };
  /** Flags naming the API and the application by their UUIDs (v2 APIs, legacy objects). */
  flags: Pick<SubscriptionIdOptions, 'hridContainsApiUUID' | 'hridContainsAppUUID'>;
}

/** The API of a subscription as it names it, and as found in the cache (or undefined). */
export function subscribedApi(
  subscription: Subscription,
  context: ReconcileContext,
): { kind: string; namespace: string; name: string; api: ApiObject | undefined } {
  const { namespace, name } = resolveReference(subscription.spec.api, subscription.metadata.namespace ?? 'default');
  const kind = subscription.spec.api.kind || 'ApiV4Definition';
  return { kind, namespace, name, api: context.cache.get(kind, namespace, name) as ApiObject | undefined };
}

/** How APIM names an API: v4 APIs by HRID (or UUID), v2 APIs always by UUID. */
export function apiHridOf(api: ApiObject): { hrid: string; byUuid: boolean } | undefined {
  if (api.kind === 'ApiDefinition') return api.status?.id ? { hrid: api.status.id, byUuid: true } : undefined;
  const ids = apiV4Ids(api);
  return { hrid: ids.hrid, byUuid: ids.hridContainsUUID };
}

/**
 * How the subscription names its plan: by HRID under an API known by HRID; by the plan's APIM id
 * under an API known by UUID, derived as the API's plans are (status first), as upstream's operator does.
 */
function planName(api: ApiObject, plan: string, apiNamed: { hrid: string; byUuid: boolean }): string {
  if (!apiNamed.byUuid) return keyHrid(plan);
  if (api.kind === 'ApiDefinition') {
    const v2 = api as ApiDefinition;
    const declared = v2.spec.plans?.find((p) => p.name === plan) ?? { name: plan };
    return v2PlanId(v2ApiIds(v2), declared, v2.status?.plans);
  }
  return apiV4PlanId(api, apiNamed.hrid, plan);
}

const describe = (object: { kind?: string; metadata: { namespace?: string; name?: string } }) =>
  [object.kind ?? '', object.metadata.namespace ?? '', object.metadata.name ?? ''] as const;

export function subscriptionTargets(subscription: Subscription, context: ReconcileContext): SubscriptionTargets {
  const namespace = subscription.metadata.namespace ?? 'default';
  const named = subscribedApi(subscription, context);
  const api = named.api;
  if (!api) throw new MissingReferenceError('spec.api', named.kind, named.namespace, named.name);
  const [kind, apiNamespace, apiName] = describe(api);
  // An API naming in APIM what another object manages is not this subscription's to subscribe to.
  const apiIssues = identityIssues(api, context.cache);
  if (apiIssues.length > 0)
    throw new InvalidSpecError(
      'IdentityConflict',
      `spec.api: ${kind} ${apiNamespace}/${apiName} is refused (${apiIssues.join('; ')})`,
    );
  if (!api.spec.contextRef)
    throw new InvalidSpecError(
      'ApiNotInApim',
      `spec.api: ${kind} ${apiNamespace}/${apiName} has no contextRef: only APIs synchronised with APIM take subscriptions`,
    );
  const appRef = resolveReference(subscription.spec.application, namespace);
  const application = context.cache.get('Application', appRef.namespace, appRef.name) as
    (Application & SyncedObject) | undefined;
  if (!application) throw new MissingReferenceError('spec.application', 'Application', appRef.namespace, appRef.name);

  const apiContext = resolveReference(api.spec.contextRef, apiNamespace);
  const appContext = application.spec.contextRef
    ? resolveReference(application.spec.contextRef, appRef.namespace)
    : undefined;
  if (appContext?.namespace !== apiContext.namespace || appContext.name !== apiContext.name)
    throw new InvalidSpecError(
      'ContextMismatch',
      `spec.application: Application ${appRef.namespace}/${appRef.name} is not managed through the ManagementContext of ${kind} ${apiNamespace}/${apiName} (${apiContext.namespace}/${apiContext.name})`,
    );

  const plan = subscription.spec.plan;
  const declared =
    api.kind === 'ApiDefinition'
      ? (api as ApiDefinition).spec.plans?.some((p) => p.name === plan)
      : !!(api as ApiV4Definition).spec.plans?.[plan];
  if (!declared) throw new MissingReferenceError('spec.plan', kind, apiNamespace, apiName, `has no plan ${plan}`);
  const apiNamed = apiHridOf(api);
  if (!api.status?.id || !apiNamed) throw notInApimYet('spec.api', api);
  const planHrid = planName(api, plan, apiNamed);
  const planId =
    api.kind === 'ApiDefinition' ? undefined : (api.status.plans?.[keyHrid(plan)] ?? api.status.plans?.[plan]);
  if (api.kind !== 'ApiDefinition' && !planId) throw notInApimYet('spec.plan', api, `has no plan ${plan} in APIM yet`);
  if (!application.status?.id) throw notInApimYet('spec.application', application);
  const appIds = applicationIds(application);

  return {
    api,
    context: referencedContext(
      api.spec.contextRef,
      apiNamespace,
      'spec.api',
      context.cache,
      context.settings.templating,
    ),
    apiHrid: apiNamed.hrid,
    applicationHrid: appIds.hrid,
    planHrid,
    apimIds: { api: api.status.id, ...(planId ? { plan: planId } : {}), application: application.status.id },
    flags: {
      ...(apiNamed.byUuid ? { hridContainsApiUUID: true } : {}),
      ...(appIds.hridContainsUUID ? { hridContainsAppUUID: true } : {}),
    },
  };
}
