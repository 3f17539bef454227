// The portal collections apply the checks APIM's Automation API applies, and only those.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApimClient } from '@gko/mapi';
import { startSimulator, type Simulator } from './server.ts';
import { clientFor, failure } from './test-support.ts';

let simulator: Simulator;
let client: ApimClient;

beforeAll(async () => {
  simulator = await startSimulator({
    organizations: { DEFAULT: { DEFAULT: {} }, DEFAULT_MANY: { DEFAULT: { multiplePortals: true } } },
  });
  client = clientFor(simulator.url);
});
afterEach(() => simulator.reset());
afterAll(async () => {
  await client.close();
  await simulator.stop();
});

const env = () => simulator.state.environment('DEFAULT', 'DEFAULT')!;
const page = { name: 'Guide', type: 'GRAVITEE_MARKDOWN' as const, content: '# Guide' };

describe('portals', () => {
  it('store the navigation as the top navigation bar, read back under both names, in the order sent', async () => {
    const state = await client.portals.put({
      hrid: 'team-hub',
      name: 'Hub',
      navigation: [{ path: '/b', displayName: 'B' }, { path: '/a' }],
    });
    expect(state.structure?.topNavbar).toEqual([{ path: '/b', displayName: 'B' }, { path: '/a' }]);
    expect(await client.portals.get('team-hub')).toMatchObject({
      structure: { topNavbar: [{ path: '/b' }, { path: '/a' }] },
      navigation: [{ path: '/b' }, { path: '/a' }],
      id: state.id,
    });
  });

  it('refuse navigation and structure together, and malformed paths, naming them', async () => {
    const dry = await client.portals.put(
      {
        hrid: 'team-hub',
        name: 'Hub',
        structure: { topNavbar: [{ path: '/a//b' }, { path: 'c' }, { path: '/d/' }, { path: '/e/..' }] },
        navigation: [{ path: '/x' }],
      },
      { dryRun: true },
    );
    expect(dry.errors?.severe).toEqual([
      'navigation and structure cannot be used at the same time',
      "structure.topNavbar[0].path must not contain consecutive '/' (was: /a//b)",
      "structure.topNavbar[1].path must start with '/' (was: c)",
      "structure.topNavbar[2].path must not end with '/' (was: /d/)",
      "structure.topNavbar[3].path must not contain '..' (was: /e/..)",
    ]);
    expect(
      (await failure(client.portals.put({ hrid: 'team-hub', name: 'Hub', structure: { topNavbar: [{ path: 'c' }] } })))
        .details.status,
    ).toBe(400);
    expect(env().portals.size).toBe(0);
  });

  it('are one per environment unless the environment allows more', async () => {
    await client.portals.put({ hrid: 'team-hub', name: 'Hub' });
    const second = await client.portals.put({ hrid: 'other-hub', name: 'Other' }, { dryRun: true });
    expect(second.errors?.severe).toEqual(['hrid does not match the established portal for this environment']);
    const links = await client
      .portalLinks('other-hub')
      .put({ hrid: 'team-link', name: 'L', href: 'https://l' }, { dryRun: true });
    expect(links.errors?.severe).toEqual(['portalHrid does not match the established portal for this environment']);
    const many = clientFor(simulator.url, { organizationId: 'DEFAULT_MANY' });
    await many.portals.put({ hrid: 'team-hub', name: 'Hub' });
    await many.portals.put({ hrid: 'other-hub', name: 'Other' });
    await many.close();
  });

  it('can be deleted with their links, listings and pages, which APIM keeps', async () => {
    await client.portals.put({ hrid: 'team-hub', name: 'Hub' });
    await client
      .portalListings('team-hub')
      .put({ hrid: 'team-link', apis: [{ apiHrid: 'unknown-api', location: '/apis' }] });
    await client.portals.delete('team-hub');
    expect(await client.portals.get('team-hub')).toBeUndefined();
    expect(await client.portalListings('team-hub').get('team-link')).toMatchObject({ portalHrid: 'team-hub' });
  });
});

describe('links, listings and pages', () => {
  it('keep no link of a portal that does not exist, although APIM answers as if it did', async () => {
    const state = await client.portalLinks('ghost').put({ hrid: 'team-link', name: 'Docs', href: 'https://docs' });
    expect(state.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await client.portalLinks('ghost').get('team-link')).toBeUndefined();
  });

  it('refuse a link that is not an absolute URL or has no name, and trim both', async () => {
    await client.portals.put({ hrid: 'team-hub', name: 'Hub' });
    const links = client.portalLinks('team-hub');
    const dry = await links.put({ hrid: 'team-link', name: ' ', href: 'docs/index.html' }, { dryRun: true });
    expect(dry.errors?.severe).toEqual([
      'name must not be empty',
      'href must be an absolute URL (was: docs/index.html)',
    ]);
    const stored = await links.put({ hrid: 'team-link', name: ' Docs ', href: ' https://docs ', order: 2 });
    expect(stored).toMatchObject({ name: 'Docs', href: 'https://docs', order: 2, portalHrid: 'team-hub' });
  });

  it('list APIs APIM does not know (it derives their ids), with well-formed locations only', async () => {
    await client.portals.put({ hrid: 'team-hub', name: 'Hub' });
    const listings = client.portalListings('team-hub');
    const dry = await listings.put(
      { hrid: 'team-link', apis: [{ apiHrid: 'x', location: '/apis/' }] },
      { dryRun: true },
    );
    expect(dry.errors?.severe).toEqual(["apis[0].location must not end with '/' (was: /apis/)"]);
    await listings.put({ hrid: 'team-link', apis: [{ apiHrid: 'not-in-apim', location: '/apis', order: 3 }] });
    expect(await listings.get('team-link')).toMatchObject({
      apis: [{ apiHrid: 'not-in-apim', location: '/apis', order: 3 }],
    });
  });

  it('keep one homepage per portal, and pages of APIs in the top navigation bar only', async () => {
    await client.portals.put({ hrid: 'team-hub', name: 'Hub' });
    const pages = client.portalDocumentations('team-hub');
    await pages.put({ hrid: 'home', ...page, area: 'HOMEPAGE' });
    await pages.put({ hrid: 'home', ...page, area: 'HOMEPAGE', content: '# Home again' });
    const second = await failure(pages.put({ hrid: 'other-home', ...page, area: 'HOMEPAGE' }));
    expect(second.details).toMatchObject({ status: 409, apimMessage: 'Homepage already exists' });
    // A dry run does not go that far.
    expect(
      (await pages.put({ hrid: 'other-home', ...page, area: 'HOMEPAGE' }, { dryRun: true })).errors,
    ).toBeUndefined();
    const apiPages = client.apiDocumentations('team-orders');
    const refused = await failure(apiPages.put({ hrid: 'team-page', ...page, area: 'HOMEPAGE' }));
    expect(refused.details).toMatchObject({
      status: 400,
      apimMessage: 'API documentation must be under TOP_NAVBAR area',
    });
    expect(await apiPages.put({ hrid: 'team-page', ...page, location: '/docs' })).toMatchObject({
      apiHrid: 'team-orders',
    });
    await apiPages.delete('team-page');
    expect(await apiPages.get('team-page')).toBeUndefined();
    await apiPages.delete('team-page');
    expect(simulator.requests().at(-1)).toMatchObject({ method: 'DELETE', status: 404 });
  });
});
