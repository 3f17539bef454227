// A PortalListing places v4 APIs in its portal's navigation. It is written once the portal and every
// API it lists are in APIM, through the portal's context (which must be the APIs' too).
import type { PortalListing } from '@gko/api';
import { toPortalListingSpec } from '@gko/mapi';
import { InvalidSpecError } from '../../reconcile/errors.ts';
import { childKind } from '../../sync/child-kind.ts';
import { cachedParent, resolveParent } from '../../sync/parents.ts';
import { synchronizer, type SyncedObject } from '../../sync/synchronizer.ts';

export const PORTAL_LISTING_FINALIZER = 'finalizers.gravitee.io/portallistings';

type Listing = PortalListing & SyncedObject;
const namespaceOf = (object: Listing) => object.metadata.namespace ?? 'default';

export const portalListingSync = childKind<Listing, ReturnType<typeof toPortalListingSpec>>({
  kind: 'PortalListing',
  finalizer: PORTAL_LISTING_FINALIZER,
  parent(object, context) {
    const namespace = namespaceOf(object);
    const parent = resolveParent(object.spec.portalRef, 'Portal', namespace, 'spec.portalRef', context);
    const named = object.spec.apis.map((entry, i) => {
      const field = `spec.apis[${i}].ref`;
      const api = resolveParent(entry.ref, 'ApiV4Definition', namespace, field, context);
      if (api.contextKey !== parent.contextKey)
        throw new InvalidSpecError(
          'ContextMismatch',
          `${field}: ApiV4Definition ${api.object.metadata.namespace}/${api.object.metadata.name} is synchronised through ManagementContext ${api.contextKey}, and the portal through ${parent.contextKey}: they must be the same`,
          {
            kind: 'ApiV4Definition',
            namespace: api.object.metadata.namespace ?? namespace,
            name: api.object.metadata.name,
          },
        );
      return api;
    });
    return { parent, named };
  },
  parentForDelete: (object, context) => ({
    kind: 'Portal',
    object: cachedParent(object.spec.portalRef, 'Portal', namespaceOf(object), context).object,
  }),
  collection: (client, portalHrid) => client.portalListings(portalHrid),
  body: (object, named) => toPortalListingSpec(object, (_ref, i) => named[i]?.hrid ?? ''),
});

export const reconcilePortalListing = synchronizer(portalListingSync);
