// An ApiDefinition (v2) is imported into APIM through mAPI v1 import-crd when it has a context, and
// written to a local-mode ConfigMap for the gateways when it is `local` (the CRD requires one of the
// two). Its ids are kept once known (status, then spec), else derived from the object, so that a
// re-import updates the same API.
import { isIngressTemplate, type ApiDefinition } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { apiV2Status, toV2Definition, v2ApiIds, type ApiReferences, type ManagementV1 } from '@gko/mapi';
import { notOk, type Verdicts } from '../../status/conditions.ts';
import { subscriptionCounter } from '../../dependencies/counters.ts';
import { API_FINALIZER, apiInputs, apiUsers } from '../../sync/api-common.ts';
import { clientForDelete } from '../../sync/context.ts';
import { untakenWarning } from '../../sync/identity.ts';
import { differingFields, missingFromApim } from '../../sync/compare.ts';
import type { ResolvedContext } from '../../sync/context.ts';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';
import { adoptedConfigMap, localDrift, removeLocalConfigMap, syncLocalConfigMap } from '../../local-mode/deploy.ts';
import { apiV2LocalConfigMap } from './local-configmap.ts';
import type { LocalConfigMap, LocalDeployment } from '../../local-mode/configmap.ts';
import type { Reconciler } from '../../reconcile/contract.ts';
import { reconcileTemplate, releaseTemplateFinalizer } from './template.ts';

type Api = ApiDefinition & SyncedObject;

interface V2Plan {
  api: Api;
  refs: ApiReferences;
  missingGroups: string[];
  context?: ResolvedContext;
  definition?: ManagementV1.ApiV2Definition;
}

/** What mAPI v1 reads back of a v2 API and can be compared with the definition sent. */
const COMPARED = ['name', 'version', 'description', 'state', 'visibility', 'tags', 'labels', 'proxy', 'flows'] as const;

function localDeployment(object: Api, status: Record<string, unknown>) {
  const ids = v2ApiIds({ ...object, status: { ...object.status, ...status } });
  return {
    id: ids.id,
    crossId: ids.crossId,
    organizationId: (status['organizationId'] as string | undefined) ?? object.status?.organizationId ?? 'DEFAULT',
    environmentId: (status['environmentId'] as string | undefined) ?? object.status?.environmentId ?? 'DEFAULT',
    planIds: (status['plans'] as Record<string, string> | undefined) ?? object.status?.plans ?? {},
  };
}

export const apiDefinitionSync: KindSync<Api, V2Plan> = {
  kind: 'ApiDefinition',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiDefinition')!,
  finalizer: API_FINALIZER,
  plan(object, context) {
    const inputs = apiInputs(object, context);
    const { api, refs, missingGroups } = inputs.compiled;
    return {
      fingerprint: {
        // Without status: ids APIM reports back must not move the fingerprint after the first import.
        body: toV2Definition({ ...inputs.written.api, status: undefined }, inputs.written.refs),
        local: !!object.spec.local,
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
        ...(inputs.context ? { context: inputs.context, definition: toV2Definition(api, refs) } : {}),
      },
    };
  },
  async apply(object, plan, context) {
    const { api, definition } = plan.data;
    let status: Record<string, unknown> = {};
    const done: string[] = [];
    if (plan.data.context && definition) {
      const imported = await context.apim(plan.data.context.context).v2Apis.import(definition);
      status = { ...apiV2Status(imported) };
      done.push(`imported into APIM as ${imported.id}`);
    }
    if (object.spec.local) {
      const deployment = localDeployment(object, status);
      done.push(await syncLocalConfigMap(context, object, desiredConfigMap(plan.data, deployment)));
      if (!plan.data.context) status = { id: deployment.id, crossId: deployment.crossId };
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
  async observe(object, plan, context) {
    const { definition } = plan.data;
    if (!plan.data.context || !definition) return undefined;
    const stored = await context.apim(plan.data.context.context).v2Apis.get(object.status?.id ?? definition.id);
    return stored ? { id: stored.id, crossId: stored.crossId, state: stored.state } : undefined;
  },
  async compare(object, plan, context, mode) {
    const differences: string[] = [];
    const { definition } = plan.data;
    if (plan.data.context && definition) {
      const stored = await context.apim(plan.data.context.context).v2Apis.get(object.status?.id ?? definition.id);
      if (!stored) differences.push(missingFromApim('API'));
      else {
        const declared = Object.fromEntries(COMPARED.map((field) => [field, definition[field]]));
        if (mode !== 'adopting-synced') differences.push(...differingFields(declared, stored));
      }
    }
    const desired = object.spec.local ? desiredConfigMap(plan.data, localDeployment(object, {})) : undefined;
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
    await client.v2Apis.delete(v2ApiIds(object).id);
  },
};

/** The ConfigMap gateways should read, or none for a STOPPED API. */
function desiredConfigMap(plan: V2Plan, deployment: LocalDeployment): LocalConfigMap | undefined {
  return plan.api.spec.state === 'STOPPED' ? undefined : apiV2LocalConfigMap(plan.api, plan.refs, deployment);
}

function verdicts(plan: V2Plan): Verdicts {
  return plan.missingGroups.length > 0
    ? {
        ResolvedRefs: notOk(
          'GroupNotFound',
          `spec.groupRefs: Group ${plan.missingGroups.join(', ')} does not exist; the API is synchronised without it`,
        ),
      }
    : {};
}

const reconcileApi = synchronizer(apiDefinitionSync);

/** Templates for Ingresses first: they are not APIs of their own. */
export const reconcileApiDefinition: Reconciler = async (key, context) => {
  const cached = context.cache.get('ApiDefinition', key.namespace, key.name) as Api | undefined;
  if (cached && isIngressTemplate(cached)) {
    const outcome = await reconcileTemplate(cached, context);
    if (outcome) return outcome;
  } else if (cached) await releaseTemplateFinalizer(cached, context);
  return reconcileApi(key, context);
};
