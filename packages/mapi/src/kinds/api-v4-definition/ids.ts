// The ids an ApiV4Definition carries besides its HRID, derived as upstream's operator derives them.
// APIM derives the ids of APIs known by HRID itself; for an API known by UUID (synchronised before
// HRIDs existed, or named by spec.id) it finds the API by crossId and its plans by id, so the body
// must carry them: a plan sent without its id would be made again, and its subscriptions closed.
// Gateways deploying a local-mode API need ids too, computed the same way.
import type { ApiV4Definition } from '@gko/api';
import { keyHrid, namespacedName } from '../../identity/hrid.ts';
import { hashUuid } from '../../identity/uuid.ts';

type Api = Pick<ApiV4Definition, 'metadata' | 'spec' | 'status'>;

/** The crossId of an API known by UUID: APIM's, else the spec's, else a UUID of `<namespace>/<name>`. */
export function apiV4CrossId(api: Api): string {
  return api.status?.crossId || api.spec.crossId || hashUuid(namespacedName(api.metadata));
}

/**
 * A plan's id under an API id: the spec's, else the one APIM gave (status.plans, by plan HRID, or by
 * the key as written), else a UUID of the API id and the key.
 */
export function apiV4PlanId(api: Api, apiId: string, key: string): string {
  const known = api.status?.plans;
  return api.spec.plans?.[key]?.id || known?.[keyHrid(key)] || known?.[key] || hashUuid(apiId, key);
}

export function apiV4PageId(api: Api, apiId: string, key: string): string {
  return api.spec.pages?.[key]?.id || hashUuid(apiId, '/', key);
}

export function apiV4PageCrossId(api: Api, key: string): string {
  return api.spec.pages?.[key]?.crossId || hashUuid(namespacedName(api.metadata), '/', key);
}
