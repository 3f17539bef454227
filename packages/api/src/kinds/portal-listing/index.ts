import { navigationOrder, navigationPath, portalRef } from '../../fragments/portal.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { array, enumeration, object, required, string } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

const apiRef = object('The API. Without a namespace, it is looked up in this namespace.', {
  name: required(string('Name of the ApiV4Definition.')),
  namespace: string("Namespace of the API. Defaults to this object's namespace."),
  kind: enumeration(['ApiV4Definition'], 'Kind of the API: only v4 APIs are listed in portals.'),
});

export const portalListing = defineKind({
  kind: 'PortalListing',
  plural: 'portallistings',
  singular: 'portallisting',
  shortNames: ['graviteeportallistings'],
  description:
    "The v4 APIs a portal publishes, each at a place of its navigation. The APIs must be synchronised through the portal's ManagementContext.",
  spec: object('The listing.', {
    portalRef,
    apis: required(
      array(
        'The APIs published, each at its location.',
        object('An API and where it is shown.', {
          ref: required(apiRef),
          location: required(navigationPath('Where the API is shown in the navigation.')),
          order: navigationOrder,
        }),
        { minItems: 1 },
      ),
    ),
  }),
  status: status('What the operator last observed of the listing.', {
    id: string('Id of the listing in APIM.'),
    organizationId,
    environmentId,
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Portal', type: 'string', jsonPath: '.spec.portalRef.name', description: 'The portal of the listing.' },
  ],
});
