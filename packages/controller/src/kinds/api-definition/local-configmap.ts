// The local-mode ConfigMap of an ApiDefinition (v2, `local: true`). Gateways parse v2 definitions
// with the same model APIM stores, so the definition is the one sent to APIM's import (GKO writes
// the spec itself, after the same id computation and reference resolution), with the ids the API is
// deployed under.
import type { ApiDefinition } from '@gko/api';
import { toV2Definition, v2ApiIds, type ApiReferences, type ManagementV1 } from '@gko/mapi';
import { localConfigMap, type LocalConfigMap, type LocalDeployment } from '../../local-mode/configmap.ts';

/**
 * The v2 definition gateways deploy. The deployment's ids are put where the import mapping looks for
 * known ids (the status), so that the ids derived from them (plans, pages) follow. APIM's plan ids,
 * keyed by plan crossId, win over ids written in the spec: subscriptions and API keys refer to them.
 */
export function gatewayApiV2(
  api: ApiDefinition,
  refs: ApiReferences,
  deployment: LocalDeployment,
): ManagementV1.ApiV2Definition {
  const planIds = { ...api.status?.plans, ...deployment.planIds };
  const deployed: ApiDefinition = {
    ...api,
    status: { ...api.status, id: deployment.id, crossId: deployment.crossId ?? v2ApiIds(api).crossId, plans: planIds },
  };
  const definition = toV2Definition(deployed, refs);
  return {
    ...definition,
    // Gateways read which API a plan belongs to from the plan itself.
    plans: definition.plans?.map((p) => ({ ...p, id: (p.crossId && planIds[p.crossId]) || p.id, api: deployment.id })),
  };
}

export function apiV2LocalConfigMap(
  api: ApiDefinition,
  refs: ApiReferences,
  deployment: LocalDeployment,
): LocalConfigMap {
  return localConfigMap(api, { definition: gatewayApiV2(api, refs, deployment) }, deployment);
}
