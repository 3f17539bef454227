// Contract: every request body the client produces, from every example manifest, is valid for our
// documents (with no field they do not declare) and for APIM's official ones.
import { describe, expect, it } from 'vitest';
import { createValidator } from '@gko/api/validation';
import { examples, upstreamExamples, upstreamReferenceDir } from '@gko/api/corpus';
import { createSchemaValidator, loadDocument, loadOfficialDocument, officialDocumentsDir } from '../contract/index.ts';
import type { ApiReferences } from './references.ts';
import { requestFor } from './requests.ts';

const references: ApiReferences = {
  resource: (ref) => ({ name: ref.name, type: 'cache', configuration: { timeToLiveSeconds: 60 }, enabled: true }),
  sharedPolicyGroup: (ref) => ({
    hrid: `${ref.namespace}-${ref.name}`,
    crossId: '2b1c9e3a-5d0f-4b8e-9a51-0c3e1f6a7d42',
    name: ref.name,
  }),
  groupNames: ['Platform team'],
  consoleNotification: { events: ['API_STARTED'], groups: ['Platform team'] },
};
const context = {
  references,
  certificates: () => [{ name: 'cert', content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }],
};

const defaults = createValidator();
const referenceDir = upstreamReferenceDir();
const manifests = [
  ...examples().flatMap(({ file, objects }) => objects.map((object) => ({ source: `examples/${file}`, object }))),
  ...(referenceDir
    ? upstreamExamples(referenceDir).map(({ file, object }) => ({ source: `upstream ${file}`, object }))
    : []),
]
  // Objects kube-apiserver would store: ours, and not the upstream ones that are invalid on purpose.
  .filter(({ object }) => object['apiVersion'] === 'gravitee.io/v1alpha1' && defaults.validate(object).valid)
  // Never sent as written: ingress templates stay in the cluster, and [[ ]] templates are resolved first.
  .filter(
    ({ object }) =>
      (object['metadata'] as { annotations?: Record<string, string> }).annotations?.['gravitee.io/template'] !== 'true',
  )
  .filter(({ object }) => !JSON.stringify(object['spec']).includes('[['))
  // As stored by kube-apiserver, defaults applied; the namespace is the one it would be applied to.
  .map(({ source, object }) => {
    const stored = defaults.withDefaults(object);
    const object_ = { ...stored, metadata: { namespace: 'team-a', ...(stored['metadata'] as object) } } as unknown;
    return { source, object: object_ as { kind: string } & Record<string, unknown> };
  })
  .map(({ source, object }) => ({ source, kind: object.kind, request: requestFor(object, context) }))
  .filter((m) => m.request !== undefined);

const ours = {
  automation: createSchemaValidator(loadDocument('automation'), { strict: true }),
  'management-v1': createSchemaValidator(loadDocument('management-v1')),
};
const officialDir = officialDocumentsDir();
const officialDocument = officialDir ? loadOfficialDocument(officialDir, 'automation/open-api.yaml') : undefined;
const official = officialDocument ? createSchemaValidator(officialDocument) : undefined;
/** Links came to the Automation API after the official (4.12) document: theirs are checked against ours only. */
const inOfficial = (schema: string) => !!officialDocument?.components?.schemas?.[schema];

describe('request bodies made from the example manifests', () => {
  it('cover every kind that APIM stores', () => {
    expect(new Set(manifests.map((m) => m.kind))).toEqual(
      new Set([
        'ApiV4Definition',
        'ApiDefinition',
        'Application',
        'Subscription',
        'SharedPolicyGroup',
        'Group',
        'Dictionary',
        'Portal',
        'PortalLink',
        'PortalListing',
        'Documentation',
      ]),
    );
  });

  it.each(manifests.map((m) => [`${m.source} (${m.kind})`, m] as const))(
    '%s is valid for our documents',
    (_label, { request }) => {
      expect(ours[request!.document].validate(request!.schema, request!.body)).toEqual([]);
    },
  );

  it
    .skipIf(!official)
    .each(
      manifests
        .filter((m) => m.request!.document === 'automation' && inOfficial(m.request!.schema))
        .map((m) => [`${m.source} (${m.kind})`, m] as const),
    )('%s is valid for the official Automation API document', (_label, { request }) => {
    expect(official!.validate(request!.schema, request!.body)).toEqual([]);
  });
});
