import { resolveReference, type ObjectReference, type PortalListing } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { hridOnlyIds } from '../../identity/apim-ids.ts';
import { objectHrid } from '../../identity/hrid.ts';

/** The HRID of a listed API: by default the one its namespace and name make, as APIM knows v4 APIs. */
export type ApiHridOf = (ref: ObjectReference, index: number) => string;

export function toPortalListingSpec(listing: PortalListing, apiHrid?: ApiHridOf): A.PortalListingSpec {
  const namespace = listing.metadata.namespace ?? 'default';
  const hridOf: ApiHridOf = apiHrid ?? ((ref) => objectHrid(resolveReference(ref, namespace)));
  return {
    hrid: hridOnlyIds(listing).hrid,
    apis: listing.spec.apis.map((entry, i) =>
      compact({ apiHrid: hridOf(entry.ref, i), location: entry.location, order: entry.order }),
    ),
  };
}
