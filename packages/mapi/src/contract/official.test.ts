// Our OpenAPI documents state the same facts as APIM's official ones: the same schemas (fields,
// types, constraints) and the same operations. Only descriptions are ours, plus the extensions
// listed here, which the server accepts although its document leaves them out.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDocument, loadOfficialDocument, officialDocumentsDir, type OpenApiDocument } from './documents.ts';

const dir = officialDocumentsDir();
if (!dir)
  console.warn('official APIM OpenAPI documents (../shared/apim/openapi) not found: contract comparison skipped');

const DOCUMENTATION = new Set(['description', 'examples', 'example', 'title', 'summary']);

/** A schema without its documentation, to compare facts only. */
function facts(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(facts);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DOCUMENTATION.has(key)) continue;
    out[key] =
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, facts(v)]))
        : facts(value);
  }
  return out;
}

const EXTENSIONS: Record<string, string[]> = {
  ApiV4Spec: ['crossId'],
  SharedPolicyGroupSpec: ['crossId'],
  // Newer than the 4.12 document: read from APIM's source (the Automation API of its main branch).
  PortalSpec: ['structure'],
  DocumentationSpec: ['area'],
};
/** Schemas and paths of the portal kinds newer than the 4.12 document, described from APIM's source. */
const NEWER_SCHEMAS = new Set([
  'DocumentationArea',
  'PortalNavigationStructure',
  'PortalLinkSpec',
  'PortalLinkState',
  'PortalLinkStatus',
]);
const NEWER_PATHS = new Set([
  '/organizations/{orgId}/environments/{envId}/portals/{portalHrid}/links',
  '/organizations/{orgId}/environments/{envId}/portals/{portalHrid}/links/{hrid}',
]);
const EXTRA_QUERY_PARAMETERS = new Set(['hridContainsUUID', 'hridContainsApiUUID', 'hridContainsAppUUID']);

type Operation = { parameters?: ({ $ref?: string; name?: string } | undefined)[] };

function parameterNames(
  document: OpenApiDocument,
  operation: Operation,
  pathLevel: Operation['parameters'] = [],
): string[] {
  const components =
    (document as { components?: { parameters?: Record<string, { name: string }> } }).components?.parameters ?? {};
  return [...(pathLevel ?? []), ...(operation.parameters ?? [])]
    .map((p) => (p?.$ref ? components[p.$ref.split('/').pop()!]?.name : p?.name))
    .filter((n): n is string => !!n);
}

describe.skipIf(!dir)('our Automation API document, against the official one', () => {
  const ours = loadDocument('automation');
  const official = dir ? loadOfficialDocument(dir, 'automation/open-api.yaml') : ours;

  it('has every schema of the official document it uses, with the same facts', () => {
    const different: string[] = [];
    for (const [name, schema] of Object.entries(ours.components?.schemas ?? {})) {
      if (NEWER_SCHEMAS.has(name)) continue;
      const theirs = official.components?.schemas?.[name];
      const mine = facts(schema) as { properties?: Record<string, unknown> };
      for (const extension of EXTENSIONS[name] ?? []) delete mine.properties?.[extension];
      if (!theirs || !isDeepStrictEqual(mine, facts(theirs))) different.push(name);
    }
    expect(different).toEqual([]);
  });

  it('declares only operations the official document has, with its parameters (plus the UUID flags)', () => {
    for (const [path, item] of Object.entries(ours.paths) as [string, Record<string, Operation>][]) {
      if (NEWER_PATHS.has(path)) continue;
      const theirs = official.paths[path] as Record<string, Operation> | undefined;
      expect(theirs, path).toBeDefined();
      for (const [method, operation] of Object.entries(item)) {
        expect(theirs![method], `${method} ${path}`).toBeDefined();
        const mine = parameterNames(ours, operation).filter((n) => !EXTRA_QUERY_PARAMETERS.has(n));
        const official_ = parameterNames(
          official,
          theirs![method]!,
          theirs!['parameters'] as Operation['parameters'],
        ).filter((n) => !EXTRA_QUERY_PARAMETERS.has(n));
        expect(new Set(mine), `${method} ${path}`).toEqual(new Set(official_));
      }
    }
  });
});

describe.skipIf(!dir)('our Management API v2 document, against the official one', () => {
  it('describes the environment as the official document does', () => {
    const ours = loadDocument('management-v2');
    const official = loadOfficialDocument(dir!, 'mapi-v2/openapi-installation.yaml');
    expect(facts(ours.components?.schemas?.['Environment'])).toEqual(
      facts(official.components?.schemas?.['Environment']),
    );
    expect(official.paths['/environments/{envId}']).toBeDefined();
  });
});
