import { navigationOrder, navigationPath, portalRef } from '../../fragments/portal.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { object, required, string } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

export const portalLink = defineKind({
  kind: 'PortalLink',
  plural: 'portallinks',
  singular: 'portallink',
  shortNames: ['graviteeportallinks'],
  description: "A link in a portal's navigation, to a page outside the portal.",
  spec: object('The link.', {
    portalRef,
    name: required(string('Text of the link.', { minLength: 1 })),
    href: required(
      string('Where the link goes: an absolute URL (http, https, ftp, file or mailto).', {
        pattern: '^(https?|ftp|file|mailto):\\S+$',
      }),
    ),
    location: navigationPath('Where the link sits in the navigation; at the top when left out.'),
    order: navigationOrder,
  }),
  status: status('What the operator last observed of the link.', {
    id: string('Id of the link in APIM.'),
    organizationId,
    environmentId,
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Portal', type: 'string', jsonPath: '.spec.portalRef.name', description: 'The portal of the link.' },
  ],
});
