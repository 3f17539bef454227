// The next-generation portal kinds (Portal, PortalLink, PortalListing, Documentation) through the
// webhook and the controllers in one process, as a user applies them: upstream's eight examples
// unchanged, then each kind through its life (the body APIM receives, one write per change, none for
// the same manifest, the delete), the order of references, delete guards (admission's refusals of
// portal objects are in the webhook's rules suite and the shared corpus),
// page content kept in a ConfigMap, and the take-over of objects upstream's operator synchronised.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { upstreamReferenceDir } from '@gko/api/corpus';
import { startSimulator, type EnvironmentState, type Simulator } from '@gko/apim-simulator';
import { createApimClient } from '@gko/mapi';
import {
  apply,
  installCrds,
  kubectl,
  kubectlOk,
  missingFields,
  patchStatus,
  startOperator,
  startWebhook,
  waitReady,
  type RunningOperator,
  type RunningWebhook,
} from '../../src/index.ts';
import { condition, context, credentials, eventually, getJson, manifest, v4Api, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
const upstreamDir = upstreamReferenceDir();
let simulator: Simulator;
let operator: RunningWebhook;
const suffix = Date.now().toString(36);

const env = (): EnvironmentState => simulator.state.environment('DEFAULT', 'DEFAULT')!;
const writes = (pathPart: string) =>
  simulator.requests().filter((r) => r.method !== 'GET' && r.query['dryRun'] !== 'true' && r.path.includes(pathPart));
const resourceOf = (kind: string, name: string) => `${kind.toLowerCase()}.gravitee.io/${name}`;
/**
 * The same manifest with a label more: the object changes (the controller is woken and reconciles it)
 * but not its spec, so nothing may be sent. Re-applying the very same manifest would change nothing
 * and wake nothing.
 */
const labelled = (m: Manifest): Manifest =>
  ({ ...m, metadata: { ...m.metadata, labels: { touched: 'yes' } } }) as Manifest;

async function namespace(name: string): Promise<string> {
  const ns = `${name}-${suffix}`;
  await kubectlOk(cluster, ['create', '-f', '-'], {
    input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: operator.labels } }),
  });
  return ns;
}

/** The credentials Secret and a context of that name on the simulator, Ready. */
async function readyContext(ns: string, name = 'apim'): Promise<void> {
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, context(name, simulator.url))).stderr).toBe('');
  expect((await waitReady(cluster, ns, `managementcontext/${name}`)).code).toBe(0);
}

async function applyReady(ns: string, object: Manifest | Record<string, unknown>): Promise<void> {
  const applied = await apply(cluster, ns, object);
  const { kind, metadata } = object as Manifest;
  expect(applied.stderr.replace(/^Warning: .*\n/gm, ''), `${kind} ${metadata.name}`).toBe('');
  expect((await waitReady(cluster, ns, resourceOf(kind, metadata.name), '60s')).stderr).toBe('');
}

beforeAll(async () => {
  await installCrds(cluster);
  // Several test namespaces share this APIM environment: it allows one portal each.
  simulator = await startSimulator({ organizations: { DEFAULT: { DEFAULT: { multiplePortals: true } } } });
  // Every namespace of this file but the take-over's, which another operator starts on later.
  const watched = ['upstream-portal', 'portal-kinds', 'portal-content'].map((n) => `${n}-${suffix}`);
  operator = await startWebhook(cluster, {
    program: 'operator',
    env: { NAMESPACE: watched.join(','), DRIFT_REPAIR_PERIOD_SECONDS: '0' },
  });
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe.skipIf(!upstreamDir)("upstream's portal examples", () => {
  const read = (file: string) =>
    parse(readFileSync(join(upstreamDir!, 'examples', 'apim', 'portal', file), 'utf8')) as Manifest;
  // portal-structure.yml is the same portal as portal.yml, written with structure: applied second, it
  // is an update that moves from the deprecated navigation to the structure.
  const FILES = [
    'portal.yml',
    'portal-structure.yml',
    'portal-link.yml',
    'portal-listing.yml',
    'documentation-portal.yml',
    'documentation-portal-top-navbar.yml',
    'documentation-portal-homepage.yml',
    'documentation-api.yml',
  ];

  it('apply unchanged through the webhook, lose no field and end Ready', async () => {
    const ns = await namespace('upstream-portal');
    await readyContext(ns, 'dev-ctx');
    const api = parse(
      readFileSync(join(upstreamDir!, 'examples', 'apim', 'api_definition', 'v4', 'api-v4-with-context.yml'), 'utf8'),
    ) as Manifest;
    await applyReady(ns, api);
    for (const file of FILES) {
      const object = read(file);
      await applyReady(ns, object);
      const stored = await getJson<{ spec: unknown }>(cluster, ns, resourceOf(object.kind, object.metadata.name));
      expect(missingFields(object.spec, stored?.spec, 'spec'), file).toEqual([]);
    }

    const portalHrid = `${ns}-default-portal`;
    expect(env().portals.get(portalHrid)).toMatchObject({
      name: 'Default Portal',
      structure: {
        topNavbar: [
          { path: '/projects/alpha', displayName: 'Alpha' },
          { path: '/projects/alpha/docs' },
          { path: '/projects/alpha/src' },
          { path: '/projects/beta' },
          { path: '/archive/2024' },
        ],
      },
    });
    expect(env().portalLinks.get(portalHrid)?.get(`${ns}-default-portal-link`)).toMatchObject({
      name: 'External Docs',
      href: 'https://docs.example.com',
      location: '/projects/alpha',
      order: 1,
    });
    expect(env().portalListings.get(portalHrid)?.get(`${ns}-default-portal-listing`)).toMatchObject({
      apis: [{ apiHrid: `${ns}-api-v4-with-context`, location: '/projects/alpha', order: 1 }],
    });
    const pages = env().portalDocumentations.get(portalHrid)!;
    expect(pages.get(`${ns}-portal-homepage`)).toMatchObject({ name: 'Home', area: 'HOMEPAGE' });
    expect(pages.get(`${ns}-portal-top-navbar`)).toMatchObject({ location: '/projects/alpha', area: 'TOP_NAVBAR' });
    expect(pages.get(`${ns}-portal-getting-started`)).toMatchObject({ name: 'Getting Started', order: 1 });
    expect(
      env().apiDocumentations.get(`${ns}-api-v4-with-context`)?.get(`${ns}-pets-api-getting-started`),
    ).toMatchObject({ name: 'Getting Started with Pets API', type: 'GRAVITEE_MARKDOWN', location: '/docs' });
  });
});

interface KindCase {
  kind: string;
  name: string;
  /** Where its writes go, as a part of the request path. */
  path: (ns: string) => string;
  finalizer: string;
  create: () => Manifest;
  update: () => Manifest;
  created: (ns: string) => Record<string, unknown>;
  updated: Record<string, unknown>;
}

const portal = (topNavbar: { path: string; displayName?: string }[]) =>
  manifest('Portal', 'hub', { contextRef: { name: 'apim' }, name: 'Hub', structure: { topNavbar } });
const link = (order: number) =>
  manifest('PortalLink', 'status', {
    portalRef: { name: 'hub' },
    name: 'Status',
    href: 'https://status.example.com',
    location: '/guides',
    order,
  });
const listing = (order: number) =>
  manifest('PortalListing', 'catalogue', {
    portalRef: { name: 'hub' },
    apis: [
      { ref: { name: 'orders' }, location: '/apis', order },
      { ref: { name: 'payments' }, location: '/apis', order: 5 },
    ],
  });
const portalPage = (area: 'TOP_NAVBAR' | 'HOMEPAGE') =>
  manifest('Documentation', 'welcome', {
    portalRef: { name: 'hub' },
    name: 'Welcome',
    type: 'GRAVITEE_MARKDOWN',
    content: '# Welcome',
    area,
    ...(area === 'TOP_NAVBAR' ? { location: '/guides' } : {}),
  });
const apiPage = (name: string) =>
  manifest('Documentation', 'orders-guide', {
    apiRef: { name: 'orders' },
    name,
    type: 'OPENAPI',
    content: 'openapi: 3.0.0',
    location: '/reference',
  });

const CASES: KindCase[] = [
  {
    kind: 'PortalLink',
    name: 'status',
    path: (ns) => `/portals/${ns}-hub/links`,
    finalizer: 'finalizers.gravitee.io/portallinks',
    create: () => link(1),
    update: () => link(3),
    created: (ns) => ({
      hrid: `${ns}-status`,
      name: 'Status',
      href: 'https://status.example.com',
      location: '/guides',
      order: 1,
    }),
    updated: { order: 3 },
  },
  {
    kind: 'PortalListing',
    name: 'catalogue',
    path: (ns) => `/portals/${ns}-hub/listings`,
    finalizer: 'finalizers.gravitee.io/portallistings',
    create: () => listing(1),
    update: () => listing(9),
    created: (ns) => ({
      hrid: `${ns}-catalogue`,
      apis: [
        { apiHrid: `${ns}-orders`, location: '/apis', order: 1 },
        { apiHrid: `${ns}-payments`, location: '/apis', order: 5 },
      ],
    }),
    updated: { apis: [{ order: 9 }, { order: 5 }] },
  },
  {
    kind: 'Documentation',
    name: 'welcome',
    path: (ns) => `/portals/${ns}-hub/documentations`,
    finalizer: 'finalizers.gravitee.io/documentations',
    create: () => portalPage('TOP_NAVBAR'),
    // Moved from the navigation bar to the homepage: one write.
    update: () => portalPage('HOMEPAGE'),
    created: (ns) => ({
      hrid: `${ns}-welcome`,
      name: 'Welcome',
      type: 'GRAVITEE_MARKDOWN',
      content: '# Welcome',
      location: '/guides',
      area: 'TOP_NAVBAR',
    }),
    updated: { area: 'HOMEPAGE' },
  },
  {
    kind: 'Documentation',
    name: 'orders-guide',
    path: (ns) => `/apis/${ns}-orders/documentations`,
    finalizer: 'finalizers.gravitee.io/documentations',
    create: () => apiPage('Orders reference'),
    update: () => apiPage('Orders API reference'),
    created: (ns) => ({
      hrid: `${ns}-orders-guide`,
      name: 'Orders reference',
      type: 'OPENAPI',
      content: 'openapi: 3.0.0',
      location: '/reference',
    }),
    updated: { name: 'Orders API reference' },
  },
];

describe('each portal kind through its life', () => {
  let ns = '';
  beforeAll(async () => {
    ns = await namespace('portal-kinds');
    await readyContext(ns);
    await applyReady(ns, v4Api('orders'));
    await applyReady(ns, v4Api('payments'));
  });

  it('Portal: created with its navigation, one write per change, none for the same manifest', async () => {
    simulator.clearRequests();
    await applyReady(ns, portal([{ path: '/apis', displayName: 'APIs' }, { path: '/guides' }]));
    const created = writes('/portals');
    expect(created.map((r) => [r.method, r.path.replace(/.*\/environments\/DEFAULT/, '')])).toEqual([
      ['PUT', '/portals'],
    ]);
    expect(created[0]!.body).toEqual({
      hrid: `${ns}-hub`,
      name: 'Hub',
      structure: { topNavbar: [{ path: '/apis', displayName: 'APIs' }, { path: '/guides' }] },
    });
    const status = (await getJson<{ status: { id: string } }>(cluster, ns, 'portal/hub'))!.status;
    expect(status.id).toBe(env().portals.get(`${ns}-hub`)!.id);

    simulator.clearRequests();
    // Order is kept as written: swapping two entries is a change.
    await applyReady(ns, portal([{ path: '/guides' }, { path: '/apis', displayName: 'APIs' }]));
    await eventually('the update', () => writes('/portals').length === 1);
    expect(
      env()
        .portals.get(`${ns}-hub`)!
        .structure!.topNavbar!.map((e) => e.path),
    ).toEqual(['/guides', '/apis']);
    simulator.clearRequests();
    await applyReady(ns, labelled(portal([{ path: '/guides' }, { path: '/apis', displayName: 'APIs' }])));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(writes('/portals')).toEqual([]);
  });

  for (const kase of CASES) {
    it(`${kase.kind} ${kase.name}: created with the expected body, one write per change, none for the same manifest, deleted from APIM`, async () => {
      simulator.clearRequests();
      await applyReady(ns, kase.create());
      const created = writes(kase.path(ns));
      expect(created).toHaveLength(1);
      expect(created[0]!.body).toEqual(kase.created(ns));
      const resource = resourceOf(kase.kind, kase.name);
      const object = await getJson<{ metadata: { finalizers: string[] }; status: Record<string, unknown> }>(
        cluster,
        ns,
        resource,
      );
      expect(object!.metadata.finalizers).toContain(kase.finalizer);
      expect(object!.status).toMatchObject({ processingStatus: 'Completed', organizationId: 'DEFAULT' });
      expect(typeof object!.status['id']).toBe('string');

      simulator.clearRequests();
      expect((await apply(cluster, ns, kase.update())).code).toBe(0);
      await eventually('the update', () => writes(kase.path(ns)).length >= 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(writes(kase.path(ns))).toHaveLength(1);
      expect(writes(kase.path(ns))[0]!.body).toMatchObject(kase.updated);

      simulator.clearRequests();
      expect((await apply(cluster, ns, labelled(kase.update()))).code).toBe(0);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(writes(kase.path(ns))).toEqual([]);

      expect((await kubectl(cluster, ['delete', resource, '-n', ns, '--timeout=30s'])).code).toBe(0);
      const deletes = writes(kase.path(ns));
      expect(deletes.map((r) => [r.method, r.path.split('/').pop()])).toEqual([['DELETE', `${ns}-${kase.name}`]]);
      expect(await getJson(cluster, ns, resource)).toBeUndefined();
    });
  }

  it('a listing whose API is not in APIM yet waits, naming it, and goes on by itself', async () => {
    // The API is admitted, but APIM refuses to store it for now.
    simulator.setFaults({ errorRate: 1, errorStatus: 503, pathContains: '/environments/DEFAULT/apis' });
    expect((await apply(cluster, ns, v4Api('late'))).code).toBe(0);
    const waiting = manifest('PortalListing', 'late-listing', {
      portalRef: { name: 'hub' },
      apis: [{ ref: { name: 'late' }, location: '/apis' }],
    });
    expect((await apply(cluster, ns, waiting)).code).toBe(0);
    const refs = await eventually('ResolvedRefs=False', async () => {
      const found = await condition(cluster, ns, 'portallisting/late-listing', 'ResolvedRefs');
      return found?.status === 'False' ? found : undefined;
    });
    expect(refs.message).toContain(`spec.apis[0].ref: ApiV4Definition ${ns}/late is not in APIM yet`);
    expect(writes('/listings')).toEqual([]);
    simulator.clearFaults();
    expect((await waitReady(cluster, ns, 'portallisting/late-listing', '60s')).stderr).toBe('');
    expect(env().portalListings.get(`${ns}-hub`)?.get(`${ns}-late-listing`)?.apis).toEqual([
      { apiHrid: `${ns}-late`, location: '/apis' },
    ]);
  });

  it('lists a v4 API deployed in local mode with a context, which is in APIM too', async () => {
    await applyReady(ns, v4Api('local-orders', { definitionContext: { syncFrom: 'KUBERNETES' } }));
    await applyReady(
      ns,
      manifest('PortalListing', 'local-listing', {
        portalRef: { name: 'hub' },
        apis: [{ ref: { name: 'local-orders' }, location: '/apis' }],
      }),
    );
    expect(env().portalListings.get(`${ns}-hub`)?.get(`${ns}-local-listing`)?.apis).toEqual([
      { apiHrid: `${ns}-local-orders`, location: '/apis' },
    ]);
    await kubectlOk(cluster, ['delete', 'portallisting/local-listing', '-n', ns, '--timeout=30s']);
  });

  it('keeps a portal while objects use it, and an API while a listing or page names it, naming them', async () => {
    await applyReady(ns, link(1));
    await applyReady(ns, apiPage('Orders reference'));
    const portalDelete = await kubectl(cluster, ['delete', 'portal/hub', '-n', ns, '--timeout=10s']);
    expect(portalDelete.code).not.toBe(0);
    expect(portalDelete.stderr).toContain(`PortalLink ${ns}/status`);
    expect(portalDelete.stderr).toContain(`PortalListing ${ns}/late-listing`);
    const apiDelete = await kubectl(cluster, ['delete', 'apiv4definition/orders', '-n', ns, '--timeout=10s']);
    expect(apiDelete.code).not.toBe(0);
    expect(apiDelete.stderr).toContain(`Documentation ${ns}/orders-guide`);
    expect(env().portals.has(`${ns}-hub`)).toBe(true);

    // Once they are gone, the portal goes too.
    for (const resource of ['portallink/status', 'portallisting/late-listing', 'documentation/orders-guide'])
      await kubectlOk(cluster, ['delete', resource, '-n', ns, '--timeout=30s']);
    await kubectlOk(cluster, ['delete', 'portal/hub', '-n', ns, '--timeout=30s']);
    expect(env().portals.has(`${ns}-hub`)).toBe(false);
  });
});

describe('a page whose content is kept in a ConfigMap', () => {
  it('is sent again once when the data changes, and not when only the labels change', async () => {
    const ns = await namespace('portal-content');
    await readyContext(ns);
    await applyReady(ns, v4Api('handbook'));
    const configMap = (text: string, labels: Record<string, string> = {}) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'guide', labels },
      data: { 'guide.md': text },
    });
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(configMap('# First')) });
    await applyReady(
      ns,
      manifest('Documentation', 'guide', {
        apiRef: { name: 'handbook' },
        name: 'Guide',
        type: 'GRAVITEE_MARKDOWN',
        content: '[[ configmap `guide/guide.md` ]]',
      }),
    );
    const stored = () => env().apiDocumentations.get(`${ns}-handbook`)?.get(`${ns}-guide`);
    expect(stored()?.content).toBe('# First');

    simulator.clearRequests();
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(configMap('# First', { team: 'docs' })),
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(writes('/documentations')).toEqual([]);

    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(configMap('# Second', { team: 'docs' })),
    });
    await eventually('the new content in APIM', () => stored()?.content === '# Second');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(writes('/documentations')).toHaveLength(1);
  });
});

describe("objects upstream's operator synchronised", () => {
  it('are taken over without a write', async () => {
    const other = await startSimulator();
    // Out of the webhook's reach, as objects upstream admitted are already stored.
    const ns = `portal-takeover-${suffix}`;
    await kubectlOk(cluster, ['create', 'namespace', ns]);
    let takingOver: RunningOperator | undefined;
    try {
      // The context points at an APIM holding what upstream sent, no operator watching this namespace yet.
      await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
        input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
      });
      expect((await apply(cluster, ns, context('apim', other.url))).stderr).toBe('');
      const client = createApimClient({
        baseUrl: other.url,
        context: `${ns}/apim`,
        organizationId: 'DEFAULT',
        environmentId: 'DEFAULT',
        credentials: { kind: 'basic', username: 'admin', password: 'admin' },
      });
      const objects: [Manifest, string, () => Promise<{ id?: string }>][] = [
        [
          manifest('Portal', 'hub', {
            contextRef: { name: 'apim' },
            name: 'Hub',
            navigation: [{ path: '/apis', order: 1 }],
          }),
          'portals',
          () => client.portals.put({ hrid: `${ns}-hub`, name: 'Hub', navigation: [{ path: '/apis' }] }),
        ],
        [
          link(1),
          'portallinks',
          () =>
            client.portalLinks(`${ns}-hub`).put({
              hrid: `${ns}-status`,
              name: 'Status',
              href: 'https://status.example.com',
              location: '/guides',
              order: 1,
            }),
        ],
        [
          portalPage('TOP_NAVBAR'),
          'documentations',
          () =>
            client.portalDocumentations(`${ns}-hub`).put({
              hrid: `${ns}-welcome`,
              name: 'Welcome',
              type: 'GRAVITEE_MARKDOWN',
              content: '# Welcome',
              location: '/guides',
              area: 'TOP_NAVBAR',
            }),
        ],
      ];
      // Upstream's writes, then the objects as it left them: its annotation, finalizers and status.
      for (const [object, plural, send] of objects) {
        const state = await send();
        const left = {
          ...object,
          metadata: {
            ...object.metadata,
            annotations: { 'gravitee.io/last-spec-hash': 'upstream' },
            finalizers: [`finalizers.gravitee.io/${plural}`],
          },
        };
        await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(left) });
        const accepted = {
          type: 'Accepted',
          status: 'True',
          reason: 'Accepted',
          message: '',
          observedGeneration: 1,
          lastTransitionTime: new Date().toISOString(),
        };
        await patchStatus(cluster, ns, resourceOf(object.kind, object.metadata.name), {
          id: state.id,
          organizationId: 'DEFAULT',
          environmentId: 'DEFAULT',
          conditions: [accepted],
        });
      }
      await client.close();
      other.clearRequests();
      takingOver = await startOperator(cluster, { env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
      for (const [object] of objects)
        expect((await waitReady(cluster, ns, resourceOf(object.kind, object.metadata.name), '60s')).stderr).toBe('');
      expect(other.requests().filter((r) => r.method !== 'GET')).toEqual([]);
      for (const [object, plural] of objects) {
        const taken = await getJson<{ metadata: { finalizers: string[] } }>(
          cluster,
          ns,
          resourceOf(object.kind, object.metadata.name),
        );
        expect(taken!.metadata.finalizers).toEqual([`finalizers.gravitee.io/${plural}`]);
      }
    } finally {
      await takingOver?.stop();
      await other.stop();
    }
  });
});
