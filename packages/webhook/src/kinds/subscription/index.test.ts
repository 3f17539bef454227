import { describe, expect, it } from 'vitest';
import { MemoryLookups } from '../../lookups/memory-lookups.ts';
import { create, object, v4Api, where } from '../../test-support.ts';
import { subscription } from './index.ts';

const now = new Date('2026-06-01T00:00:00Z');
const plans = {
  keys: { name: 'Keys', security: { type: 'API_KEY' } },
  jwt: { name: 'JWT', security: { type: 'JWT' } },
  free: { name: 'Free', security: { type: 'KEY_LESS' } },
  mtls: { name: 'mTLS', security: { type: 'MTLS' } },
};
const api = v4Api('orders', { contextRef: { name: 'apim' }, plans });
const app = (settings: Record<string, unknown>, contextName = 'apim') =>
  object('Application', 'shop', { contextRef: { name: contextName }, name: 'Shop', description: 'd', settings });
const sub = (spec: Record<string, unknown>) =>
  object('Subscription', 'shop-orders', {
    api: { name: 'orders' },
    application: { name: 'shop' },
    plan: 'keys',
    ...spec,
  });
const check = (spec: Record<string, unknown>, ...objects: Parameters<MemoryLookups['put']>[0][]) =>
  subscription.validate(
    create(sub(spec)),
    new MemoryLookups({
      objects: objects.length ? objects : [api, app({ app: { type: 'web', clientId: 'shop' } })],
      now: () => now,
    }),
  );

describe('Subscription admission', () => {
  it('accepts a subscription to an API key plan, with its own keys and a future end', async () => {
    expect(
      await check({
        apiKeys: [{ key: 'k'.repeat(32), expireAt: '2027-01-01T00:00:00Z' }],
        endingAt: '2027-01-01T00:00:00Z',
      }),
    ).toEqual([]);
  });

  it('needs the API, the application and the plan to exist', async () => {
    expect(where(await check({}, app({ app: { type: 'web' } })))).toEqual(['error spec.api']);
    expect(where(await check({}, api))).toEqual(['error spec.application']);
    expect((await check({ plan: 'gold' }))[0]?.message).toBe(
      'ApiV4Definition team-a/orders has no plan gold (its plans: free, jwt, keys, mtls)',
    );
  });

  it('refuses key-less plans, API keys on other plans, and dates in the past or not in RFC 3339', async () => {
    expect(where(await check({ plan: 'free' }))).toEqual(['error spec.plan']);
    expect(where(await check({ plan: 'jwt', apiKeys: [{ key: 'k'.repeat(32) }] }))).toEqual(['error spec.apiKeys']);
    expect(
      where(
        await check({ endingAt: '2026-06-01T00:00:30Z', apiKeys: [{ key: 'k'.repeat(32), expireAt: 'tomorrow' }] }),
      ),
    ).toEqual(['error spec.apiKeys[0].expireAt', 'error spec.endingAt']);
  });

  it('needs a client id for JWT and OAuth2 plans, and certificates for mTLS plans', async () => {
    expect((await check({ plan: 'jwt' }, api, app({ app: { type: 'web' } })))[0]?.message).toBe(
      'Application team-a/shop needs a clientId to subscribe to JWT plans',
    );
    expect((await check({ plan: 'mtls' }, api, app({ app: { type: 'web' } })))[0]?.message).toBe(
      'Application team-a/shop has no client certificate for an MTLS plan',
    );
  });

  it('needs the API synchronised with APIM, started, and managed through the same context as the application', async () => {
    const local = v4Api('orders', {
      contextRef: { name: 'apim' },
      plans,
      definitionContext: { syncFrom: 'KUBERNETES' },
    });
    expect((await check({}, local, app({ app: { type: 'web' } })))[0]?.message).toContain(
      'deployed through ConfigMaps only',
    );
    const stopped = v4Api('orders', { contextRef: { name: 'apim' }, plans, state: 'STOPPED' });
    expect((await check({}, stopped, app({ app: { type: 'web' } })))[0]?.message).toBe(
      'ApiV4Definition team-a/orders is stopped',
    );
    expect((await check({}, api, app({ app: { type: 'web' } }, 'other')))[0]?.message).toBe(
      'Application team-a/shop is managed through ManagementContext team-a/other, and ApiV4Definition team-a/orders through team-a/apim: they must be the same',
    );
    const contextless = object('Application', 'shop', { name: 'Shop', settings: { app: { type: 'web' } } });
    expect(await check({}, api, contextless)).toEqual([
      { severity: 'error', path: 'spec.application', message: 'Application team-a/shop has no contextRef' },
    ]);
  });

  it('knows a plan only by the keys the API declares', async () => {
    expect((await check({ plan: 'toString' }))[0]?.message).toBe(
      'ApiV4Definition team-a/orders has no plan toString (its plans: free, jwt, keys, mtls)',
    );
  });

  it('finds v2 APIs by plan name', async () => {
    const v2 = object('ApiDefinition', 'legacy', {
      contextRef: { name: 'apim' },
      plans: [{ name: 'Partners', security: 'API_KEY', description: 'p' }],
      local: false,
    });
    expect(
      await check(
        { api: { name: 'legacy', kind: 'ApiDefinition' }, plan: 'Partners' },
        v2,
        app({ app: { type: 'web' } }),
      ),
    ).toEqual([]);
  });
});
