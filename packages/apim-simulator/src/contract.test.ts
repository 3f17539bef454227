// The simulator refuses exactly what APIM's official schemas refuse: the same bodies, the same
// verdicts (and without the official documents, the verdicts recorded here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaValidator, loadOfficialDocument, officialDocumentsDir } from '@gko/mapi/contract';
import { startSimulator, type Simulator } from './server.ts';
import { apiBody } from './test-support.ts';

interface Case {
  name: string;
  collection: string;
  schema: string;
  body: unknown;
  valid: boolean;
}

const api = apiBody('team-a-contract', '/contract');
const application = { hrid: 'team-a-shop', name: 'Shop', description: 'The shop', settings: { app: { type: 'web' } } };
const dictionary = {
  hrid: 'team-a-dict',
  name: 'd',
  type: 'DYNAMIC',
  deployed: true,
  dynamic: {
    provider: { type: 'HTTP', url: 'https://config.example.com/flags', method: 'GET', specification: '[]' },
    trigger: { rate: 1, unit: 'MINUTES' },
  },
};

const CASES: Case[] = [
  { name: 'a complete v4 API', collection: 'apis', schema: 'ApiV4Spec', body: api, valid: true },
  {
    name: 'a v4 API without listeners',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, listeners: undefined },
    valid: false,
  },
  {
    name: 'a v4 API of an unknown type',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, type: 'GRPC' },
    valid: false,
  },
  {
    name: 'a v4 API with an invalid HRID',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, hrid: 'has spaces' },
    valid: false,
  },
  {
    name: 'a plan without mode',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, plans: [{ ...api.plans![0]!, mode: undefined }] },
    valid: false,
  },
  {
    name: 'an HTTP selector without path operator',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, flows: [{ enabled: true, selectors: [{ type: 'HTTP', path: '/' }] }] },
    valid: false,
  },
  {
    name: 'a Kafka listener without host',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, type: 'NATIVE', listeners: [{ type: 'KAFKA', port: 9092 }] },
    valid: false,
  },
  {
    name: 'a failover slow call under 50 ms',
    collection: 'apis',
    schema: 'ApiV4Spec',
    body: { ...api, failover: { enabled: true, slowCallDuration: 10 } },
    valid: false,
  },
  {
    name: 'a simple application',
    collection: 'applications',
    schema: 'ApplicationSpec',
    body: application,
    valid: true,
  },
  {
    name: 'an application without description',
    collection: 'applications',
    schema: 'ApplicationSpec',
    body: { ...application, description: undefined },
    valid: false,
  },
  {
    name: 'an OAuth type in upper case',
    collection: 'applications',
    schema: 'ApplicationSpec',
    body: {
      ...application,
      settings: { oauth: { applicationType: 'WEB', grantTypes: ['authorization_code'], redirectUris: [] } },
    },
    valid: false,
  },
  {
    name: 'an OAuth client without grant types',
    collection: 'applications',
    schema: 'ApplicationSpec',
    body: { ...application, settings: { oauth: { applicationType: 'web', grantTypes: [], redirectUris: [] } } },
    valid: false,
  },
  {
    name: 'a shared policy group',
    collection: 'shared-policy-groups',
    schema: 'SharedPolicyGroupSpec',
    body: {
      hrid: 'team-a-spg',
      name: 's',
      apiType: 'PROXY',
      phase: 'REQUEST',
      steps: [{ enabled: true, policy: 'noop' }],
    },
    valid: true,
  },
  {
    name: 'a step without policy',
    collection: 'shared-policy-groups',
    schema: 'SharedPolicyGroupSpec',
    body: { hrid: 'team-a-spg', name: 's', apiType: 'PROXY', phase: 'REQUEST', steps: [{ enabled: true }] },
    valid: false,
  },
  {
    name: 'a group',
    collection: 'groups',
    schema: 'GroupSpec',
    body: { hrid: 'team-a-ops', name: 'ops', members: [] },
    valid: true,
  },
  {
    name: 'a group without name',
    collection: 'groups',
    schema: 'GroupSpec',
    body: { hrid: 'team-a-ops', members: [] },
    valid: false,
  },
  { name: 'a dynamic dictionary', collection: 'dictionaries', schema: 'DictionarySpec', body: dictionary, valid: true },
  {
    name: 'a provider URL that is not a URI',
    collection: 'dictionaries',
    schema: 'DictionarySpec',
    body: {
      ...dictionary,
      dynamic: { ...dictionary.dynamic, provider: { ...dictionary.dynamic.provider, url: 'not a uri' } },
    },
    valid: false,
  },
  {
    name: 'a provider with an unknown field',
    collection: 'dictionaries',
    schema: 'DictionarySpec',
    body: {
      ...dictionary,
      dynamic: { ...dictionary.dynamic, provider: { ...dictionary.dynamic.provider, retries: 3 } },
    },
    valid: false,
  },
];

const dir = officialDocumentsDir();
const official = dir ? createSchemaValidator(loadOfficialDocument(dir, 'automation/open-api.yaml')) : undefined;
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.stop());

describe('request bodies, judged by the simulator', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: as recorded, and as the official schema says',
    async (_name, c) => {
      const response = await fetch(
        `${simulator.url}/automation/organizations/DEFAULT/environments/DEFAULT/${c.collection}?dryRun=true`,
        {
          method: 'PUT',
          headers: {
            authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(c.body),
        },
      );
      expect(response.status).toBe(c.valid ? 200 : 400);
      if (official) expect(official.validate(c.schema, JSON.parse(JSON.stringify(c.body))).length === 0).toBe(c.valid);
    },
  );
});
