import { contextRef } from '../../fragments/reference.ts';
import { navigationOrder, navigationPath } from '../../fragments/portal.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { array, object, required, string, withRules } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

const folder = (description: string, extra = {}) =>
  object(description, {
    path: required(navigationPath('Where the entry sits in the navigation.')),
    displayName: string('Label shown for the entry; the last segment of the path when left out.'),
    ...extra,
  });

const byPath = () => ({ 'x-kubernetes-list-type': 'map' as const, 'x-kubernetes-list-map-keys': ['path'] });

const spec = withRules(
  object('The portal.', {
    contextRef: required(contextRef),
    name: required(string('Name of the portal, shown in APIM.')),
    structure: object('The navigation of the portal, by area.', {
      topNavbar: array(
        'The entries of the top navigation bar, shown in the order listed. Folders a path goes through are created when not listed.',
        folder('An entry of the top navigation bar.'),
        byPath(),
      ),
    }),
    navigation: array(
      'Deprecated: use structure.topNavbar. Entries of the top navigation bar, sent to APIM as structure.topNavbar in the order listed (APIM does not read order).',
      folder('An entry of the top navigation bar.', { order: navigationOrder }),
      byPath(),
    ),
  }),
  {
    rule: '!has(self.navigation) || !has(self.structure)',
    message: 'set structure.topNavbar or the deprecated navigation, not both',
    fieldPath: '.navigation',
  },
);

export const portal = defineKind({
  kind: 'Portal',
  plural: 'portals',
  singular: 'portal',
  shortNames: ['graviteeportals'],
  description:
    "A developer portal of APIM's next-generation portal and its navigation; PortalLink, PortalListing and Documentation objects fill it.",
  spec,
  status: status('What the operator last observed of the portal.', {
    id: string('Id of the portal in APIM.'),
    organizationId,
    environmentId,
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Display Name', type: 'string', jsonPath: '.spec.name', description: 'Name of the portal.' },
  ],
});
