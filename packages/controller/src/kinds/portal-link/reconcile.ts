// A PortalLink is a link of its portal's navigation in APIM, written once the portal is there.
import type { PortalLink } from '@gko/api';
import { toPortalLinkSpec } from '@gko/mapi';
import { childKind } from '../../sync/child-kind.ts';
import { cachedParent, resolveParent } from '../../sync/parents.ts';
import { synchronizer, type SyncedObject } from '../../sync/synchronizer.ts';

export const PORTAL_LINK_FINALIZER = 'finalizers.gravitee.io/portallinks';

type Link = PortalLink & SyncedObject;
const namespaceOf = (object: Link) => object.metadata.namespace ?? 'default';

export const portalLinkSync = childKind<Link, ReturnType<typeof toPortalLinkSpec>>({
  kind: 'PortalLink',
  finalizer: PORTAL_LINK_FINALIZER,
  parent: (object, context) => ({
    parent: resolveParent(object.spec.portalRef, 'Portal', namespaceOf(object), 'spec.portalRef', context),
  }),
  parentForDelete: (object, context) => ({
    kind: 'Portal',
    object: cachedParent(object.spec.portalRef, 'Portal', namespaceOf(object), context).object,
  }),
  collection: (client, portalHrid) => client.portalLinks(portalHrid),
  body: (object) => toPortalLinkSpec(object),
});

export const reconcilePortalLink = synchronizer(portalLinkSync);
