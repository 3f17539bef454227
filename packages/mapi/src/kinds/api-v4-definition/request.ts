// The request for an ApiV4Definition as sent to a given APIM, which the pure mapping (to-request.ts)
// cannot know alone: how that APIM version names the connect phase of native flows, and, for an API
// that names an existing APIM object by spec.id and is taken over for the first time, the crossId
// APIM finds it by and the ids of its plans, which the spec may not give. The controllers and the
// admission dry run send the same request.
import type { ApiV4Definition } from '@gko/api';
import type { ApimClient } from '../../client.ts';
import type * as A from '../../generated/automation.ts';
import { apiV4Ids, idFlags } from '../../identity/apim-ids.ts';
import { assertFreeToTakeOver, type ClaimLookup } from '../../identity/claims.ts';
import { keyHrid } from '../../identity/hrid.ts';
import type { ApiReferences } from '../references.ts';
import { toApiV4Spec, usesConnectPhase } from './to-request.ts';

/**
 * The API with the crossId and plan ids of the APIM object its spec.id names, read from APIM (plans
 * matched by HRID), when its status does not hold them yet: updated in place, its plans (and their
 * subscriptions) kept. With the claims of the cluster, an APIM object another object manages by HRID
 * is refused (IdentityConflictError).
 */
async function withStoredIds(client: ApimClient, api: ApiV4Definition, claims?: ClaimLookup): Promise<ApiV4Definition> {
  const ids = apiV4Ids(api);
  if (!ids.hridContainsUUID || api.status?.crossId) return api;
  const stored = await client.apis.get(ids.hrid, idFlags(ids));
  if (claims) assertFreeToTakeOver(api, stored, claims);
  if (!stored) return api;
  const plans = Object.fromEntries(
    Object.keys(api.spec.plans ?? {}).flatMap((key) => {
      const id = stored.plans?.find((p) => p.hrid === keyHrid(key))?.id;
      return id ? [[key, id]] : [];
    }),
  );
  return { ...api, status: { ...api.status, ...(stored.crossId ? { crossId: stored.crossId } : {}), plans } };
}

export async function apiV4Request(
  client: ApimClient,
  api: ApiV4Definition,
  refs: ApiReferences,
  claims?: ClaimLookup,
): Promise<A.ApiV4Spec> {
  const known = await withStoredIds(client, api, claims);
  const connectPhase = usesConnectPhase(api.spec) ? await client.connectPhase() : undefined;
  return toApiV4Spec(known, refs, connectPhase ? { connectPhase } : {});
}
