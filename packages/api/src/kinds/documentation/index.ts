import { navigationOrder, navigationPath } from '../../fragments/portal.ts';
import { reference } from '../../fragments/reference.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { enumeration, exactlyOneOf, immutable, object, required, string, withRules } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

const apiRef = immutable(
  object('The v4 API the page documents. Without a namespace, it is looked up in this namespace.', {
    name: required(string('Name of the ApiV4Definition.')),
    namespace: string("Namespace of the API. Defaults to this object's namespace."),
    kind: enumeration(['ApiV4Definition'], 'Kind of the API: only v4 APIs have such pages.'),
  }),
  'the API of a page cannot be changed',
);

const spec = withRules(
  object('The page.', {
    portalRef: immutable(reference('the Portal the page is shown on'), 'the portal of a page cannot be changed'),
    apiRef,
    name: required(string('Title of the page.', { minLength: 1 })),
    type: required(enumeration(['GRAVITEE_MARKDOWN', 'OPENAPI', 'ASYNCAPI'], 'What the content is written in.')),
    content: required(
      string(
        'The content of the page. It may be read from a ConfigMap or Secret with [[ configmap `name/key` ]] or [[ secret `name/key` ]]; a change there re-sends the page.',
      ),
    ),
    location: navigationPath('Where the page sits in the navigation.'),
    order: navigationOrder,
    area: enumeration(
      ['TOP_NAVBAR', 'HOMEPAGE'],
      "Where a portal's page is shown: in the top navigation bar (what APIM does when left out) or as the portal's homepage. Pages of an API are always TOP_NAVBAR.",
    ),
  }),
  {
    ...exactlyOneOf(['portalRef', 'apiRef'], 'exactly one of portalRef or apiRef must be set'),
    fieldPath: '.portalRef',
  },
  {
    rule: "!has(self.apiRef) || !has(self.area) || self.area == 'TOP_NAVBAR'",
    message: 'the page of an API is shown in its TOP_NAVBAR area only',
    fieldPath: '.area',
  },
  {
    rule: 'has(self.portalRef) == has(oldSelf.portalRef)',
    message: 'a page cannot move between a portal and an API: delete it and create it again',
    fieldPath: '.portalRef',
  },
);

export const documentation = defineKind({
  kind: 'Documentation',
  plural: 'documentations',
  singular: 'documentation',
  shortNames: ['graviteedocumentations'],
  description:
    "A documentation page of APIM's next-generation portal, shown on a portal (portalRef) or with a v4 API (apiRef).",
  spec,
  status: status('What the operator last observed of the page.', {
    id: string('Id of the page in APIM.'),
    organizationId,
    environmentId,
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'What the content is written in.' },
    { name: 'Location', type: 'string', jsonPath: '.spec.location', description: 'Where it sits in the navigation.' },
  ],
});
