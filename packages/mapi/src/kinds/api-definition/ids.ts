// The ids of a v2 API, its plans and its pages, derived as upstream's operator derives them: mAPI v1
// import-crd finds an API by crossId and its plans by crossId, and keeps the ids it is sent for new
// ones, so the same derivation is what makes a take-over update the APIs, plans and subscriptions
// upstream created instead of duplicating them.
import type { ApiDefinition, V2Plan } from '@gko/api';
import { namespacedName } from '../../identity/hrid.ts';
import { hashUuid } from '../../identity/uuid.ts';

export interface V2Ids {
  id: string;
  crossId: string;
}

/**
 * Kept once known (status, then spec); otherwise the id is the object's uid and the crossId a UUID of
 * `<namespace>/<name>`. Before kube-apiserver gives the object a uid (an admission dry run of a
 * creation, an offline check), the crossId stands in for it.
 */
export function v2ApiIds(api: ApiDefinition): V2Ids {
  const crossId = api.status?.crossId || api.spec.crossId || hashUuid(namespacedName(api.metadata));
  return { id: api.status?.id || api.spec.id || api.metadata.uid || crossId, crossId };
}

export function v2PlanCrossId(ids: V2Ids, plan: Pick<V2Plan, 'name' | 'crossId'>): string {
  return plan.crossId || hashUuid(ids.id, '/', plan.name);
}

/**
 * A plan's id: the one APIM gave for its crossId (status.plans), else derived from the crossId. An id
 * written in the spec is not used, as upstream does not use it: APIM matches the plans of an existing
 * API by crossId anyway, and upstream's derivation is what the plans it created are known by.
 */
export function v2PlanId(
  ids: V2Ids,
  plan: Pick<V2Plan, 'name' | 'crossId'>,
  knownPlanIds: Record<string, string> | undefined,
): string {
  const crossId = v2PlanCrossId(ids, plan);
  return knownPlanIds?.[crossId] || hashUuid(crossId, '/', plan.name);
}

export function v2PageId(ids: V2Ids, key: string): string {
  return hashUuid(ids.id, '/', key);
}

export function v2PageCrossId(api: ApiDefinition, key: string): string {
  return hashUuid(namespacedName(api.metadata), '/', key);
}
