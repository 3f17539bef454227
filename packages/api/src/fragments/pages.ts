import {
  array,
  boolean,
  enumeration,
  freeForm,
  integer,
  map,
  named,
  object,
  required,
  string,
} from '../schema/index.ts';

const pageProperties = {
  id: string('Id of the page in APIM; computed by the operator.'),
  crossId: string('Id that identifies the page across environments; computed by the operator.'),
  hrid: string(
    'Human-readable id of the page in APIM: the map key with each space and dot made a dash; any other value is refused.',
  ),
  api: string('Id of the API the page belongs to; computed by the operator.'),
  name: required(string('Title of the page.')),
  type: required(
    enumeration(
      ['MARKDOWN', 'SWAGGER', 'ASYNCAPI', 'ASCIIDOC', 'FOLDER', 'SYSTEM_FOLDER', 'ROOT'],
      'Kind of page: a document in one of the supported formats, or a folder holding other pages.',
    ),
  ),
  content: string('Content of the page, when it is not fetched from a source.'),
  order: integer('Position of the page among its siblings.', { format: 'int64' }),
  published: boolean('Whether the page is shown in the portal.', { default: false }),
  visibility: enumeration(['PUBLIC', 'PRIVATE'], 'Who may see the page in the portal.', { default: 'PUBLIC' }),
  homepage: boolean('Whether the page is the home page of the API in the portal.', { default: false }),
  parent: string('Key, in the same pages map, of the folder that contains this page.'),
  parentId: string('Id of the parent folder in APIM; computed by the operator.'),
  parentHrid: string('Human-readable id of the parent folder; computed by the operator.'),
  source: object('Where APIM fetches the content of the page from, instead of content.', {
    type: required(string('Fetcher plugin, for example http-fetcher or github-fetcher.')),
    configuration: required(freeForm('Configuration of the fetcher, for example its URL and refresh schedule.')),
  }),
  configuration: map('Display options of the page (for example the Swagger UI settings).', string('An option value.')),
};

const pagesDescription =
  'Documentation pages of the API. The map key identifies a page across synchronisations: renaming a key replaces the page.';

export const v4Pages = map(
  pagesDescription,
  named('V4Page', object('A documentation page or folder.', pageProperties)),
);

export const v2Pages = map(
  pagesDescription,
  named(
    'V2Page',
    object('A documentation page or folder.', {
      ...pageProperties,
      accessControls: array(
        'Groups allowed (or, with excludedAccessControls, denied) to see the page.',
        object('An access rule.', {
          referenceId: required(string('Id of the APIM group.')),
          referenceType: required(enumeration(['GROUP'], 'What referenceId points to.')),
        }),
        { default: [] },
      ),
      excludedAccessControls: boolean(
        'Whether accessControls lists the groups denied access instead of those allowed.',
      ),
    }),
  ),
);
