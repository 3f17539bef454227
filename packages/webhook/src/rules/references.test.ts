import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { createApimClient } from '@gko/mapi';
import { MemoryLookups } from '../lookups/memory-lookups.ts';
import { context, object } from '../test-support.ts';
import { deleteGuard, subscriptionGuard } from './references.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.stop());

describe('the delete guard of a subscribed API', () => {
  // Synchronised once: it has an APIM id.
  const api = object(
    'ApiV4Definition',
    'orders',
    { contextRef: { name: 'apim' } },
    { status: { id: 'api-id', conditions: [{ type: 'AutomationAPIManaged', status: 'True' }] } },
  );
  const subscription = object('Subscription', 'sub', {
    api: { name: 'orders' },
    application: { name: 'shop' },
    plan: 'keys',
  });

  it('holds while APIM has the API, and steps aside, with a warning, once APIM has it no more', async () => {
    const lookups = new MemoryLookups({ objects: [context('apim', simulator.url), api, subscription] });
    const gone = await subscriptionGuard(lookups, 'ApiV4Definition', api);
    expect(gone.map((f) => f.severity)).toEqual(['warning']);
    expect(gone[0]!.message).toContain('is no longer in APIM');

    const client = createApimClient({
      context: 'team-a/apim',
      baseUrl: simulator.url,
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      credentials: { kind: 'basic', username: 'admin', password: 'admin' },
    });
    await client.apis.put({
      hrid: 'team-a-orders',
      name: 'orders',
      version: '1',
      type: 'PROXY',
      lifecycleState: 'UNPUBLISHED',
      listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
    });
    await client.close();
    const held = await subscriptionGuard(lookups, 'ApiV4Definition', api);
    expect(held.map((f) => f.severity)).toEqual(['error']);
    expect(held[0]!.message).toContain('Subscription team-a/sub');
  });

  it('holds for an API never synchronised (no APIM id), and when APIM cannot tell', async () => {
    const never = object('ApiV4Definition', 'orders', { contextRef: { name: 'apim' } });
    const fresh = new MemoryLookups({ objects: [context('apim', simulator.url), never, subscription] });
    expect((await subscriptionGuard(fresh, 'ApiV4Definition', never)).map((f) => f.severity)).toEqual(['error']);
    const lookups = new MemoryLookups({ objects: [context('apim', 'http://127.0.0.1:1'), api, subscription] });
    expect((await subscriptionGuard(lookups, 'ApiV4Definition', api)).map((f) => f.severity)).toEqual(['error']);
  });
});

describe('a delete guard', () => {
  const link = (name: string, deleting: boolean) => ({
    kind: 'PortalLink',
    object: object('PortalLink', name, {}, deleting ? { metadata: { deletionTimestamp: '2026-12-07T10:00:00Z' } } : {}),
  });

  it('lists the users that remain, and lets the delete through when every user is being deleted already', () => {
    const held = deleteGuard([link('docs', false), link('status', true)], 'delete them first');
    expect(held).toHaveLength(1);
    expect(held[0]!.message).toContain('still used by PortalLink team-a/docs;');
    expect(held[0]!.message).not.toContain('status');
    expect(deleteGuard([link('status', true)], 'delete them first')).toEqual([]);
  });
});
