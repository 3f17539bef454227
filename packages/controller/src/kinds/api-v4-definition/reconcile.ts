// An ApiV4Definition is synchronised to where it is deployed from: APIM through the Automation API
// when it has a context, gateways through a local-mode ConfigMap when its definitionContext.syncFrom
// is KUBERNETES, or both. Without a context and with the default syncFrom (MANAGEMENT) it has nowhere
// to go: rather than being silently ignored, it is reported not Ready with the two ways out.
import type { ApiV4Definition } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { apiV4Ids, apiV4Request, apiV4Status, claimLookup, toApiV4Spec, type ApiReferences } from '@gko/mapi';
import { InvalidSpecError } from '../../reconcile/errors.ts';
import { notOk, type Verdicts } from '../../status/conditions.ts';
import { idFlags, managedVerdict, type ApimIds } from '../../sync/apim-ids.ts';
import { differingFields, missingFromApim } from '../../sync/compare.ts';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';
import { adoptedConfigMap, localDrift, removeLocalConfigMap, syncLocalConfigMap } from '../../local-mode/deploy.ts';
import { subscriptionCounter } from '../../dependencies/counters.ts';
import { API_FINALIZER, apiInputs, apiUsers } from '../../sync/api-common.ts';
import { clientForDelete, type ResolvedContext } from '../../sync/context.ts';
import { untakenWarning } from '../../sync/identity.ts';
import { apiV4GatewayId } from './gateway-definition.ts';
import { apiV4LocalConfigMap } from './local-configmap.ts';
import type { LocalConfigMap, LocalDeployment } from '../../local-mode/configmap.ts';

type Api = ApiV4Definition & SyncedObject;

interface V4Plan {
  api: Api;
  refs: ApiReferences;
  missingGroups: string[];
  context?: ResolvedContext;
  local: boolean;
  ids: ApimIds;
}

const deploysLocally = (api: ApiV4Definition) => api.spec.definitionContext?.syncFrom === 'KUBERNETES';

export const apiV4DefinitionSync: KindSync<Api, V4Plan> = {
  kind: 'ApiV4Definition',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiV4Definition')!,
  finalizer: API_FINALIZER,
  plan(object, context) {
    const local = deploysLocally(object);
    const ids = apiV4Ids(object);
    const inputs = apiInputs(object, context);
    const { api, refs, missingGroups } = inputs.compiled;
    return {
      fingerprint: {
        // Ids read from the status (an API known by UUID carries its crossId and plan ids) are left
        // out: what APIM answers must not move the fingerprint after the first synchronisation.
        body: toApiV4Spec(withoutReportedIds(inputs.written.api), inputs.written.refs),
        local,
        legacy: ids.hridContainsUUID,
        context: inputs.context?.fingerprint,
        sources: inputs.sources,
        // Left out when empty: the fingerprints of APIs naming no group stay as they were.
        referenced: inputs.referenced.length > 0 ? inputs.referenced : undefined,
      },
      needsFinalizer: !!inputs.context,
      secrets: inputs.secrets,
      data: {
        api,
        refs,
        missingGroups,
        ...(inputs.context ? { context: inputs.context } : {}),
        local,
        ids,
      },
    };
  },
  async apply(object, plan, context) {
    const { api, ids, local } = plan.data;
    if (!plan.data.context && !local) {
      // Deployed nowhere any more: what gateways still read from an earlier local deployment goes.
      await removeLocalConfigMap(context, object);
      throw new InvalidSpecError(
        'NoDeploymentTarget',
        'spec.contextRef: the API has no context and definitionContext.syncFrom is MANAGEMENT, so it is deployed nowhere: set contextRef to synchronise it with APIM, or definitionContext.syncFrom: KUBERNETES to deploy it to gateways through a ConfigMap',
      );
    }
    let status: Record<string, unknown> = {};
    const done: string[] = [];
    if (plan.data.context) {
      const client = context.apim(plan.data.context.context);
      const state = await client.apis.put(
        await apiV4Request(client, api, plan.data.refs, claimLookup(context.cache)),
        idFlags(ids),
      );
      status = { ...apiV4Status(state) };
      done.push(`synchronised with APIM as ${ids.hrid}`);
    }
    if (local) {
      const deployment = localDeployment(object, status);
      done.push(await syncLocalConfigMap(context, object, desiredConfigMap(object, plan.data, deployment)));
      if (!plan.data.context) status = { id: deployment.id };
      status['state'] = api.spec.state ?? 'STARTED';
    } else {
      const removed = await removeLocalConfigMap(context, object);
      if (removed) done.push(`no longer deployed locally: ${removed}`);
    }
    // The ConfigMap is this operator's from now on: one taken over is no longer kept as it was.
    return {
      status: { ...status, adoptedConfigMap: undefined },
      summary: done.join('; '),
      verdicts: verdicts(plan.data),
    };
  },
  async observe(_object, plan, context) {
    // Only an API with a context has a copy in APIM; a local-mode one alone has nothing to read there.
    if (!plan.data.context) return undefined;
    const stored = await context.apim(plan.data.context.context).apis.get(plan.data.ids.hrid, idFlags(plan.data.ids));
    return stored ? apiV4Status(stored) : undefined;
  },
  async compare(object, plan, context, mode) {
    const differences: string[] = [];
    if (plan.data.context) {
      const client = context.apim(plan.data.context.context);
      const stored = await client.apis.get(plan.data.ids.hrid, idFlags(plan.data.ids));
      if (!stored) differences.push(missingFromApim('API'));
      else if (mode !== 'adopting-synced')
        differences.push(
          ...differingFields(
            await apiV4Request(client, plan.data.api, plan.data.refs, claimLookup(context.cache)),
            stored,
          ),
        );
    }
    const desired = plan.data.local
      ? desiredConfigMap(object, plan.data, localDeployment(object, object.status ?? {}))
      : undefined;
    differences.push(...localDrift(context, object, desired, mode));
    return differences;
  },
  adopted: (object, context) => adoptedConfigMap(context, object),
  users: (object, context) => apiUsers(context, object),
  statusExtras: (object, context) => subscriptionCounter(context.cache, object),
  async remove(object, context) {
    await removeLocalConfigMap(context, object);
    if (!object.spec.contextRef) return;
    const untaken = untakenWarning(object);
    if (untaken) return untaken;
    const client = clientForDelete(object, context);
    if (typeof client === 'string') return client;
    const ids = apiV4Ids(object);
    await client.apis.delete(ids.hrid, idFlags(ids));
  },
};

/** The API with only the status fields that decide how APIM knows it (not the ids APIM reported). */
function withoutReportedIds(api: Api): Api {
  const status = api.status && { id: api.status.id, conditions: api.status.conditions };
  return { ...api, status };
}

/** Where gateways deploy the API: under APIM's ids once known (this sync's answer, else status), else its own. */
function localDeployment(object: Api, status: Record<string, unknown>): LocalDeployment {
  const known = { ...object.status, ...status } as NonNullable<Api['status']>;
  return {
    id: apiV4GatewayId({ ...object, status: known }),
    ...(known.crossId ? { crossId: known.crossId } : {}),
    organizationId: known.organizationId ?? 'DEFAULT',
    environmentId: known.environmentId ?? 'DEFAULT',
    planIds: known.plans ?? {},
  };
}

/** The ConfigMap gateways should read, or none for a STOPPED API. */
function desiredConfigMap(object: Api, plan: V4Plan, deployment: LocalDeployment): LocalConfigMap | undefined {
  if (plan.api.spec.state === 'STOPPED') return undefined;
  return apiV4LocalConfigMap({ ...plan.api, metadata: object.metadata }, plan.refs, deployment);
}

function verdicts(plan: V4Plan): Verdicts {
  const out: Verdicts = {};
  if (plan.missingGroups.length > 0)
    out.ResolvedRefs = notOk(
      'GroupNotFound',
      `spec.groupRefs: Group ${plan.missingGroups.join(', ')} does not exist; the API is synchronised without it`,
    );
  return plan.context ? { ...out, ...managedVerdict(plan.ids) } : out;
}

export const reconcileApiV4Definition = synchronizer(apiV4DefinitionSync);
