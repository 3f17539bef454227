// Each rule of the admission webhook, seen through kubectl: an invalid manifest is refused with a
// message naming the object and the field, --dry-run=server answers the same and changes nothing,
// and warnings reach the user. The same manifests checked offline (gko validate) get the same words.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { checkManifests } from '@gko/webhook/offline';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  retryUntil,
  startWebhook,
  type RunningWebhook,
} from '../../src/index.ts';
import { api, application, context, manifest, subscription, world, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let webhook: RunningWebhook;
let ns = '';

const exists = async (m: Manifest) =>
  (await kubectl(cluster, ['get', `${m.kind.toLowerCase()}.gravitee.io`, m.metadata.name, '-n', ns])).code === 0;

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  webhook = await startWebhook(cluster);
  ns = await createNamespace(cluster, 'webhook-rules', webhook.labels);
  for (const m of world(simulator.url)) expect((await apply(cluster, ns, m)).stderr).not.toContain('Error');
  // A subscription to the world passes at once: what the cache has not seen yet is read from the API server.
  const probe = await apply(cluster, ns, subscription('probe'), { dryRun: true });
  expect(probe.code).toBe(0);
});
afterAll(async () => {
  await webhook?.stop();
  await simulator?.stop();
});

interface Denial {
  name: string;
  manifest: () => Manifest;
  /** Field paths (and other text) the message must contain. */
  fields: string[];
}

const page = (spec: Record<string, unknown>) =>
  manifest('Documentation', 'page', { name: 'Page', type: 'GRAVITEE_MARKDOWN', content: '# Page', ...spec });

const DENIALS: Denial[] = [
  {
    name: 'a page of a portal that does not exist',
    manifest: () => page({ portalRef: { name: 'ghost-portal' } }),
    fields: ['spec.portalRef', 'Portal', 'ghost-portal does not exist'],
  },
  {
    name: 'a page of an API that does not exist',
    manifest: () => page({ apiRef: { name: 'ghost-api' } }),
    fields: ['spec.apiRef', 'ApiV4Definition', 'ghost-api does not exist'],
  },
  {
    name: 'a page of both a portal and an API (CEL)',
    manifest: () => page({ portalRef: { name: 'portal' }, apiRef: { name: 'orders' } }),
    fields: ['spec.portalRef', 'exactly one of portalRef or apiRef must be set'],
  },
  {
    name: 'a page of an API shown as a homepage (CEL)',
    manifest: () => page({ apiRef: { name: 'orders' }, area: 'HOMEPAGE' }),
    fields: ['spec.area', 'TOP_NAVBAR'],
  },
  {
    name: 'a listing of an API that does not exist',
    manifest: () =>
      manifest('PortalListing', 'listing', {
        portalRef: { name: 'portal' },
        apis: [
          { ref: { name: 'orders' }, location: '/apis' },
          { ref: { name: 'ghost-api' }, location: '/apis' },
        ],
      }),
    fields: ['spec.apis[1].ref', 'ApiV4Definition', 'ghost-api does not exist'],
  },
  {
    name: 'a listing of an API synchronised through another context',
    manifest: () =>
      manifest('PortalListing', 'listing', {
        portalRef: { name: 'portal' },
        apis: [{ ref: { name: 'partner-api' }, location: '/apis' }],
      }),
    fields: ['spec.apis[0].ref', 'ManagementContext', 'must be the same'],
  },
  {
    name: 'a link of a portal that does not exist',
    manifest: () =>
      manifest('PortalLink', 'link', { portalRef: { name: 'ghost-portal' }, name: 'Docs', href: 'https://docs' }),
    fields: ['spec.portalRef', 'ghost-portal does not exist'],
  },
  {
    name: 'a template source that does not exist',
    manifest: () => api('templated', { description: '[[ secret `no-such-secret/key` ]]' }),
    fields: ['spec.description', `Secret`, 'no-such-secret'],
  },
  {
    name: 'a context that does not exist',
    manifest: () => api('lost', { contextRef: { name: 'ghost' } }),
    fields: ['spec.contextRef', 'ghost does not exist'],
  },
  {
    name: 'a started API without plans',
    manifest: () => api('planless', { plans: {} }),
    fields: ['spec.plans', 'needs at least one plan'],
  },
  {
    name: 'a context path another API uses',
    manifest: () => api('copycat', { listeners: [{ type: 'HTTP', paths: [{ path: '/orders/' }] }] }),
    fields: ['spec.listeners[0].paths[0].path', 'orders'],
  },
  {
    name: 'a missing ApiResource',
    manifest: () => api('uncached', { resources: [{ ref: { name: 'redis' } }] }),
    fields: ['spec.resources[0].ref', 'ApiResource'],
  },
  {
    name: 'a shared policy group in the wrong phase',
    manifest: () =>
      api('misphased', { flows: [{ request: [{ sharedPolicyGroupRef: { name: 'response-headers' } }] }] }),
    fields: ['spec.flows[0].request[0].sharedPolicyGroupRef', 'RESPONSE phase'],
  },
  {
    name: 'a missing notification',
    manifest: () => api('unnotified', { notificationsRefs: [{ name: 'silence' }] }),
    fields: ['spec.notificationsRefs[0]', 'Notification'],
  },
  {
    name: 'a page whose parent is missing',
    manifest: () => api('orphan', { pages: { readme: { name: 'Readme', type: 'MARKDOWN', parent: 'docs' } } }),
    fields: ['spec.pages.readme.parent'],
  },
  {
    name: 'a request phase in a NATIVE API, and other problems, all in one message',
    manifest: () =>
      api('native', {
        type: 'NATIVE',
        listeners: [{ type: 'KAFKA', host: 'kafka.local', port: 9092, entrypoints: [{ type: 'native-kafka' }] }],
        flows: [{ request: [{ policy: 'x' }], connect: [{ sharedPolicyGroupRef: { name: 'absent' } }] }],
        plans: {},
      }),
    fields: ['has 3 problems', 'spec.flows[0].request', 'spec.flows[0].connect[0].sharedPolicyGroupRef', 'spec.plans'],
  },
  {
    name: 'native Kafka ports (a CEL rule of the CRD)',
    manifest: () =>
      api('kafka-ports', { plans: { kafka: { name: 'Kafka', security: { type: 'KEY_LESS' }, bootstrapPort: 9092 } } }),
    fields: ['spec.plans[kafka].bootstrapPort'],
  },
  {
    name: 'a subscription to a plan the API lacks',
    manifest: () => subscription('gold', { plan: 'gold' }),
    fields: ['spec.plan', 'no plan gold'],
  },
  {
    name: 'a subscription to a key-less plan',
    manifest: () => subscription('keyless', { plan: 'free' }),
    fields: ['spec.plan', 'KEY_LESS'],
  },
  {
    name: 'API keys on a JWT plan',
    manifest: () => subscription('jwt-keys', { plan: 'jwt', apiKeys: [{ key: 'k'.repeat(32) }] }),
    fields: ['spec.apiKeys'],
  },
  {
    name: 'a subscription ending in the past',
    manifest: () => subscription('ended', { endingAt: '2020-01-01T00:00:00Z' }),
    fields: ['spec.endingAt'],
  },
  {
    name: 'a subscription across contexts',
    manifest: () => subscription('crossed', { application: { name: 'other-shop' } }),
    fields: ['spec.application', 'must be the same'],
  },
  {
    name: 'a subscription of a missing application',
    manifest: () => subscription('nobody', { application: { name: 'nobody' } }),
    fields: ['spec.application', 'does not exist'],
  },
  {
    name: 'a CA certificate given as a client certificate',
    manifest: () =>
      application('ca-cert', 'apim', {
        app: { type: 'web' },
        tls: { clientCertificates: [{ content: CA_CERTIFICATE }] },
      }),
    fields: ['spec.settings.tls.clientCertificates[0].content', 'CA certificate'],
  },
  {
    name: 'a client certificate that is not PEM, and one in a Secret that does not exist',
    manifest: () =>
      application('garbled', 'apim', {
        app: { type: 'web' },
        tls: {
          clientCertificates: [
            { content: 'MIIB-not-a-certificate' },
            { ref: { kind: 'secrets', name: 'missing-certs', key: 'tls.crt' } },
          ],
        },
      }),
    fields: [
      'has 2 problems',
      'spec.settings.tls.clientCertificates[0].content: the certificate is not a PEM-encoded X.509 certificate',
      `spec.settings.tls.clientCertificates[1].ref: Secret`,
      'missing-certs does not exist',
    ],
  },
  {
    name: 'certificate dates out of order',
    manifest: () =>
      application('dates', 'apim', {
        app: { type: 'web' },
        tls: {
          clientCertificates: [
            { content: CLIENT_CERTIFICATE, startsAt: '2031-01-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
          ],
        },
      }),
    fields: ['spec.settings.tls.clientCertificates[0].endsAt', 'after startsAt'],
  },
  {
    name: 'both simple and OAuth settings (a CEL rule of the CRD)',
    manifest: () =>
      application('two-faced', 'apim', {
        app: { type: 'web' },
        oauth: { applicationType: 'BACKEND_TO_BACKEND', grantTypes: ['client_credentials'] },
      }),
    fields: ['spec.settings', 'app or oauth'],
  },
  {
    name: 'a MANUAL dictionary with a provider (a CEL rule of the CRD)',
    manifest: () =>
      manifest('Dictionary', 'mixed', { contextRef: { name: 'apim' }, name: 'm', type: 'MANUAL', deployed: true }),
    fields: ['spec.manual'],
  },
  {
    name: 'credentials APIM refuses',
    manifest: () => context('wrong-password', '', 'wrong-password'),
    fields: ['spec.auth', 'refuses these credentials (401)'],
  },
  {
    name: 'a group giving the primary owner role',
    manifest: () =>
      manifest('Group', 'owners', {
        contextRef: { name: 'apim' },
        name: 'Owners',
        members: [{ source: 'memory', sourceId: 'a', roles: { API: 'PRIMARY_OWNER' } }],
      }),
    fields: ['spec.members[0].roles.API', 'primary owner'],
  },
  {
    name: 'what APIM refuses in its dry run',
    manifest: () => api('apim-conflict', { listeners: [{ type: 'HTTP', paths: [{ path: '/taken-in-apim' }] }] }),
    fields: ['spec', 'APIM refuses it', 'taken-in-apim'],
  },
  {
    name: 'a PROXY shared policy group in the SUBSCRIBE phase (a CEL rule of the CRD)',
    manifest: () =>
      manifest('SharedPolicyGroup', 'subscribe', {
        contextRef: { name: 'apim' },
        name: 's',
        apiType: 'PROXY',
        phase: 'SUBSCRIBE',
      }),
    fields: ['spec.phase'],
  },
];

describe('kubectl apply of an invalid manifest', () => {
  beforeAll(() => {
    // An API in APIM that the cluster does not know: only APIM's dry run can see the conflict.
    simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.set('outside-api', {
      hrid: 'outside-api',
      name: 'outside',
      version: '1',
      type: 'PROXY',
      lifecycleState: 'UNPUBLISHED',
      endpointGroups: [],
      listeners: [{ type: 'HTTP', paths: [{ path: '/taken-in-apim' }] }],
    });
  });

  it.each(DENIALS.map((d) => [d.name, d] as const))(
    'fails for %s, naming the object and the field, the same with --dry-run=server, changing nothing',
    async (_name, denial) => {
      const m = denial.manifest();
      if (m.kind === 'ManagementContext') (m.spec as Record<string, unknown>)['baseUrl'] = simulator.url;
      const subject = `${m.kind} ${ns}/${m.metadata.name}`;
      const dry = await apply(cluster, ns, m, { dryRun: true });
      const real = await apply(cluster, ns, m);
      for (const result of [dry, real]) {
        expect(result.code).not.toBe(0);
        for (const field of denial.fields) expect(result.stderr).toContain(field);
      }
      // The CRD's own rules answer before the webhook, in kube-apiserver's words.
      if (!denial.name.includes('CEL')) expect(real.stderr).toContain(subject);
      expect(dry.stderr).toBe(real.stderr);
      expect(await exists(m)).toBe(false);

      // gko validate, from the same objects as manifests, with APIM asked through the same context.
      const reports = await checkManifests(
        [...world(simulator.url), m].map((object) => ({ object })),
        {
          namespace: ns,
          apimContext: { namespace: ns, name: m.kind === 'ManagementContext' ? m.metadata.name : 'apim' },
        },
      );
      // Both sides of a conflict are refused in a set; what matters here is the object applied.
      const offline = reports.at(-1)!;
      expect(offline.refusal).toBeDefined();
      if (denial.name.includes('CEL'))
        for (const f of offline.findings) expect(real.stderr).toContain(`${f.path}: ${f.message}`);
      else expect(real.stderr).toContain(`denied the request: ${offline.refusal}`);
    },
  );
});

describe('kubectl apply of a malformed object', () => {
  it('is refused by the schema, naming the field, after the mutating webhook let it through unchanged', async () => {
    const noSettings = manifest('Application', 'bare', {
      contextRef: { name: 'apim' },
      name: 'bare',
      description: 'd',
    });
    const noSpec = { apiVersion: 'gravitee.io/v1alpha1', kind: 'ManagementContext', metadata: { name: 'bare' } };
    for (const [m, field] of [
      [noSettings, 'spec.settings: Required value'],
      [noSpec, 'spec: Required value'],
    ] as const) {
      const result = await apply(cluster, ns, m);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(field);
      expect(result.stderr).not.toContain('could not check it');
    }
  });
});

describe('kubectl apply with warnings', () => {
  it('prints why APIM was not reached, and admits the context', async () => {
    const result = await apply(cluster, ns, context('unreachable', 'http://127.0.0.1:9'));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: spec.baseUrl: APIM cannot be reached at http://127.0.0.1:9');
  });

  it("prints APIM's dry-run warnings", async () => {
    const result = await apply(cluster, ns, api('categorised', { categories: ['toys'] }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: spec: APIM: category [toys] is not defined in environment [DEFAULT]');
  });

  it('prints that a group does not exist yet', async () => {
    const result = await apply(cluster, ns, api('grouped', { groupRefs: [{ name: 'later' }] }));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Warning: spec.groupRefs[0]: Group ${ns}/later does not exist (yet)`);
  });

  it('prints that the single client certificate field is deprecated', async () => {
    const result = await apply(
      cluster,
      ns,
      application('legacy-cert', 'apim', { app: { type: 'web' }, tls: { clientCertificate: CLIENT_CERTIFICATE } }),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: spec.settings.tls.clientCertificate: clientCertificate is deprecated');
  });
});

describe('kubectl apply --dry-run=server of a valid manifest', () => {
  it('succeeds and creates nothing', async () => {
    const m = api('dry-valid');
    const result = await apply(cluster, ns, m, { dryRun: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(server dry run)');
    expect(await exists(m)).toBe(false);
  });
});

describe('kubectl delete', () => {
  it('of a context in use is refused, listing who uses it', async () => {
    const result = await kubectl(cluster, ['delete', 'managementcontext', 'apim', '-n', ns]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`ManagementContext ${ns}/apim: still used by`);
    expect(result.stderr).toContain(`ApiV4Definition ${ns}/orders`);
  });

  it('of an API or an application with subscriptions, and of a shared policy group in use, is refused', async () => {
    expect((await apply(cluster, ns, subscription('shop-orders'))).code).toBe(0);
    const userOfGroup = api('decorated', {
      flows: [{ response: [{ sharedPolicyGroupRef: { name: 'response-headers' } }] }],
    });
    expect((await apply(cluster, ns, userOfGroup)).code).toBe(0);
    // Dry runs first, until the webhook's cache has the new objects: a real delete cannot be taken back.
    const refused = (result: { code: number }) => result.code !== 0;
    await retryUntil(
      () => kubectl(cluster, ['delete', 'apiv4definition', 'orders', '-n', ns, '--dry-run=server']),
      refused,
    );
    await retryUntil(
      () => kubectl(cluster, ['delete', 'sharedpolicygroup', 'response-headers', '-n', ns, '--dry-run=server']),
      refused,
    );
    const apiDelete = await kubectl(cluster, ['delete', 'apiv4definition', 'orders', '-n', ns]);
    const applicationDelete = await kubectl(cluster, ['delete', 'application', 'shop', '-n', ns]);
    const groupDelete = await kubectl(cluster, ['delete', 'sharedpolicygroup', 'response-headers', '-n', ns]);
    expect(apiDelete.code).not.toBe(0);
    expect(apiDelete.stderr).toContain(`Subscription ${ns}/shop-orders`);
    expect(applicationDelete.code).not.toBe(0);
    expect(applicationDelete.stderr).toContain(`Application ${ns}/shop: still used by Subscription ${ns}/shop-orders`);
    expect(groupDelete.code).not.toBe(0);
    expect(groupDelete.stderr).toContain(`ApiV4Definition ${ns}/decorated`);
  });

  it('of a portal or an API that portal objects name is refused, listing them', async () => {
    const link = manifest('PortalLink', 'docs-link', {
      portalRef: { name: 'portal' },
      name: 'Docs',
      href: 'https://docs',
    });
    const apiPage = page({ apiRef: { name: 'orders' } });
    expect((await apply(cluster, ns, link)).code).toBe(0);
    expect((await apply(cluster, ns, apiPage)).code).toBe(0);
    const refused = (result: { code: number }) => result.code !== 0;
    await retryUntil(() => kubectl(cluster, ['delete', 'portal', 'portal', '-n', ns, '--dry-run=server']), refused);
    const portalDelete = await kubectl(cluster, ['delete', 'portal', 'portal', '-n', ns]);
    expect(portalDelete.code).not.toBe(0);
    expect(portalDelete.stderr).toContain(`Portal ${ns}/portal: still used by PortalLink ${ns}/docs-link`);
    const apiDelete = await kubectl(cluster, ['delete', 'apiv4definition', 'orders', '-n', ns, '--dry-run=server']);
    expect(apiDelete.code).not.toBe(0);
    expect(apiDelete.stderr).toContain(`Documentation ${ns}/page`);
  });
});

describe('kubectl label', () => {
  it('works on an object whose references broke since it was admitted, as long as its spec is unchanged', async () => {
    const certificate = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'holder-cert' },
      stringData: { 'tls.crt': CLIENT_CERTIFICATE },
    };
    expect((await apply(cluster, ns, certificate)).code).toBe(0);
    const holder = application('cert-holder', 'apim', {
      app: { type: 'web' },
      tls: { clientCertificates: [{ name: 'holder', ref: { name: 'holder-cert' } }] },
    });
    expect((await apply(cluster, ns, holder)).code).toBe(0);
    expect((await kubectl(cluster, ['delete', 'secret', 'holder-cert', '-n', ns])).code).toBe(0);
    // Once the webhook has seen the Secret go, a change of the spec is refused...
    const changed = { ...holder, spec: { ...(holder.spec as object), description: 'changed' } };
    const refused = await retryUntil(
      () => apply(cluster, ns, changed, { dryRun: true }),
      (result) => result.code !== 0,
    );
    expect(refused.stderr).toContain(`Secret ${ns}/holder-cert does not exist`);
    // ...but labels can still change.
    const labelled = await kubectl(cluster, ['label', 'application', 'cert-holder', '-n', ns, 'team=shop']);
    expect(labelled.stderr).toBe('');
    expect(labelled.code).toBe(0);
  });
});

describe('the mutating webhook', () => {
  it('fills in a Gravitee Cloud context from its token', async () => {
    const claims = Buffer.from(JSON.stringify({ org: 'cloud-org', envs: ['cloud-env'], cpg: 'eu' })).toString(
      'base64url',
    );
    const result = await apply(
      cluster,
      ns,
      manifest('ManagementContext', 'cloud', { cloud: { token: `e30.${claims}.c2ln` } }),
    );
    expect(result.code).toBe(0);
    const spec = await kubectl(cluster, [
      'get',
      'managementcontext',
      'cloud',
      '-n',
      ns,
      '-o',
      'jsonpath={.spec.baseUrl} {.spec.organizationId} {.spec.environmentId}',
    ]);
    expect(spec.stdout).toBe('https://eu.cloudgate.gravitee.io cloud-org cloud-env');
  });

  it('names unnamed client certificates', async () => {
    expect(
      (
        await apply(
          cluster,
          ns,
          application('named', 'apim', {
            app: { type: 'web' },
            tls: { clientCertificates: [{ content: CLIENT_CERTIFICATE }] },
          }),
        )
      ).code,
    ).toBe(0);
    const name = await kubectl(cluster, [
      'get',
      'application',
      'named',
      '-n',
      ns,
      '-o',
      'jsonpath={.spec.settings.tls.clientCertificates[0].name}',
    ]);
    expect(name.stdout).toBe('named-0');
  });
});

const { CA_CERTIFICATE, CLIENT_CERTIFICATE } = await import('./certificates.ts');
