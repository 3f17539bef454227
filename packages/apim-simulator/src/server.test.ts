import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApimClient } from '@gko/mapi';
import { startSimulator, type Simulator } from './server.ts';
import { apiBody, clientFor, failure } from './test-support.ts';

let simulator: Simulator;
let client: ApimClient;

beforeAll(async () => {
  simulator = await startSimulator({
    tokens: ['token-123456'],
    organizations: {
      DEFAULT: { DEFAULT: { categories: ['payments'], users: ['memory:alice'], groups: ['ops'] } },
      ACME: { PROD: {} },
    },
  });
  client = clientFor(simulator.url);
});
afterEach(() => simulator.reset());
afterAll(async () => {
  await client.close();
  await simulator.stop();
});

describe('the simulator', () => {
  it('stores an API, gives it ids derived from its HRID, and answers the same to the same PUT', async () => {
    const first = await client.apis.put(apiBody('team-a-orders', '/orders'));
    const second = await client.apis.put(apiBody('team-a-orders', '/orders'));
    expect(second).toEqual(first);
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.plans?.[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const other = await startSimulator();
    try {
      expect((await clientFor(other.url).apis.put(apiBody('team-a-orders', '/orders'))).id).toBe(first.id);
    } finally {
      await other.stop();
    }
    expect(await client.apis.get('team-a-orders')).toEqual(first);
  });

  it('changes nothing on a dry run', async () => {
    const answer = await client.apis.put(apiBody('team-a-dry', '/dry'), { dryRun: true });
    expect(answer.hrid).toBe('team-a-dry');
    expect(await client.apis.get('team-a-dry')).toBeUndefined();
    expect(simulator.requests().map((r) => `${r.method} ${r.query['dryRun'] ?? ''}`)).toEqual(['PUT true', 'GET ']);
  });

  it('refuses a context path taken by another API: severe in a dry run, 400 for real', async () => {
    await client.apis.put(apiBody('team-a-orders', '/orders'));
    const dry = await client.apis.put(apiBody('team-b-orders', 'orders/'), { dryRun: true });
    expect(dry.errors?.severe).toEqual(['path [/orders/] already exists for API [team-a-orders]']);
    const error = await failure(client.apis.put(apiBody('team-b-orders', '/orders')));
    expect(error.status).toBe(400);
    expect(error.message).toContain('path [/orders/] already exists for API [team-a-orders]');
    expect(error.terminal).toBe(true);
    expect(await client.apis.get('team-b-orders')).toBeUndefined();
  });

  it('refuses duplicate plan HRIDs, a member made primary owner, and a phase the API type lacks', async () => {
    const plan = apiBody('x', '/x').plans![0]!;
    const dry = await client.apis.put(
      apiBody('team-a-dupes', '/dupes', {
        plans: [plan, plan],
        members: [{ source: 'memory', sourceId: 'alice', role: 'PRIMARY_OWNER' }],
      }),
      { dryRun: true },
    );
    expect(dry.errors?.severe).toEqual([
      'duplicate hrid found in plans: keys',
      'member [alice] cannot be given the primary owner role',
    ]);
    const group = await client.sharedPolicyGroups.put(
      { hrid: 'team-a-spg', name: 'spg', apiType: 'PROXY', phase: 'SUBSCRIBE' },
      { dryRun: true },
    );
    expect(group.errors?.severe).toEqual(['Invalid phase SUBSCRIBE for API type PROXY']);
    const members = await client.groups.put(
      {
        hrid: 'team-a-ops',
        name: 'g',
        members: [{ source: 'memory', sourceId: 'alice', roles: { API: 'PRIMARY_OWNER' } }],
      },
      { dryRun: true },
    );
    expect(members.errors?.severe?.[0]).toContain('primary owner role is not allowed');
  });

  it('drops unknown categories, members and groups with a warning, and keeps the known ones', async () => {
    const state = await client.apis.put(
      apiBody('team-a-warn', '/warn', {
        categories: ['payments', 'nope'],
        groups: ['ops', 'ghosts'],
        members: [
          { source: 'memory', sourceId: 'alice', role: 'USER' },
          { source: 'memory', sourceId: 'mallory', role: 'USER' },
        ],
      }),
    );
    expect(state.categories).toEqual(['payments']);
    expect(state.groups).toEqual(['ops']);
    expect(state.members).toEqual([{ source: 'memory', sourceId: 'alice', role: 'USER' }]);
    expect(state.errors?.warning).toEqual([
      'member [mallory] of source [memory] could not be found in organization [DEFAULT]',
      'category [nope] is not defined in environment [DEFAULT]',
      'group [ghosts] could not be found in environment [DEFAULT]',
    ]);
  });

  it('answers 400 in APIM error shape to a body the contract refuses, naming the fields', async () => {
    const response = await fetch(`${simulator.url}/automation/organizations/DEFAULT/environments/DEFAULT/apis`, {
      method: 'PUT',
      headers: {
        authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ hrid: 'x y', name: 'n', type: 'PROXY' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      httpStatus: number;
      technicalCode: string;
      details: { location: string }[];
    };
    expect(body.httpStatus).toBe(400);
    expect(body.technicalCode).toBe('validation.invalid');
    expect(body.details.map((d) => d.location).sort()).toEqual([
      'endpointGroups',
      'hrid',
      'lifecycleState',
      'listeners',
      'version',
    ]);
  });

  it('refuses bad credentials with 401 and unknown organizations or environments with 404', async () => {
    const wrongPassword = clientFor(simulator.url, {
      credentials: { kind: 'basic', username: 'admin', password: 'wrong-password' },
    });
    expect((await failure(wrongPassword.environment())).status).toBe(401);
    const wrongToken = clientFor(simulator.url, { credentials: { kind: 'bearer', token: 'not-a-token-999' } });
    expect((await failure(wrongToken.apis.get('team-a-x'))).status).toBe(401);
    const goodToken = clientFor(simulator.url, { credentials: { kind: 'bearer', token: 'token-123456' } });
    expect(await goodToken.environment()).toEqual({ id: 'DEFAULT', name: 'DEFAULT' });
    expect((await failure(clientFor(simulator.url, { organizationId: 'NOPE' }).environment())).status).toBe(404);
    expect(await clientFor(simulator.url, { organizationId: 'ACME', environmentId: 'PROD' }).environment()).toEqual({
      id: 'PROD',
      name: 'PROD',
    });
    const unknownEnv = await failure(
      clientFor(simulator.url, { organizationId: 'ACME', environmentId: 'DEV' }).apis.put(apiBody('a', '/a')),
    );
    expect(unknownEnv.status).toBe(404);
    expect(unknownEnv.message).toContain('environment [DEV] cannot be found');
    for (const c of [wrongPassword, wrongToken, goodToken]) await c.close();
  });

  it('serves the Gravitee Cloud paths too', async () => {
    const cloud = clientFor(simulator.url, { cloud: true });
    expect((await cloud.apis.put(apiBody('team-a-cloud', '/cloud'))).hrid).toBe('team-a-cloud');
    expect(simulator.requests()[0]?.path).toBe('/apim/automation/organizations/DEFAULT/environments/DEFAULT/apis');
    await cloud.close();
  });

  it('takes subscriptions to existing plans and applications, with API keys only on API key plans', async () => {
    await client.apis.put(
      apiBody('team-a-orders', '/orders', {
        plans: [
          { ...apiBody('x', '/x').plans![0]!, hrid: 'free', security: { type: 'KEY_LESS' } },
          apiBody('x', '/x').plans![0]!,
        ],
      }),
    );
    await client.applications.put({
      hrid: 'team-a-shop',
      name: 'Shop',
      description: 'shop',
      settings: { app: { type: 'web' } },
    });
    const subscriptions = client.subscriptions('team-a-orders');
    const key = { key: 'k'.repeat(32) };
    const created = await subscriptions.put({
      hrid: 'team-a-sub',
      applicationHrid: 'team-a-shop',
      planHrid: 'keys',
      apiKeys: [key],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      apiHrid: 'team-a-orders',
      startingAt: expect.any(String) as unknown,
    });
    expect(
      (await subscriptions.put({ hrid: 'team-a-sub', applicationHrid: 'team-a-shop', planHrid: 'keys' })).startingAt,
    ).toBe(created.startingAt);
    expect(
      (await failure(subscriptions.put({ hrid: 'team-a-s2', applicationHrid: 'team-a-shop', planHrid: 'free' })))
        .message,
    ).toContain('key-less');
    expect(
      (await failure(subscriptions.put({ hrid: 'team-a-s3', applicationHrid: 'team-a-nope', planHrid: 'keys' })))
        .status,
    ).toBe(404);
    expect(
      (
        await failure(
          client
            .subscriptions('team-a-nope')
            .put({ hrid: 'team-a-s4', applicationHrid: 'team-a-shop', planHrid: 'keys' }),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await failure(
          subscriptions.put({
            hrid: 'team-a-s5',
            applicationHrid: 'team-a-shop',
            planHrid: 'keys',
            apiKeys: [key, key],
          }),
        )
      ).message,
    ).toContain('given twice');
    await client.apis.delete('team-a-orders');
    expect(await client.subscriptions('team-a-orders').get('team-a-sub')).toBeUndefined();
  });

  it('closes a deleted subscription, and names APIs and applications by UUID when told to', async () => {
    const api = await client.apis.put(apiBody('team-a-uuids', '/uuids'));
    const app = await client.applications.put({
      hrid: 'team-a-buyer',
      name: 'Buyer',
      description: 'buyer',
      settings: { app: { type: 'web' } },
    });
    const byUuid = client.subscriptions(api.id!);
    const byKey = { hrid: 'team-a-sub', applicationHrid: app.id!, planHrid: 'keys' };
    expect((await failure(byUuid.put(byKey))).status).toBe(404);
    // Under an API named by its UUID, APIM takes planHrid as the plan's id.
    expect((await failure(byUuid.put(byKey, { hridContainsApiUUID: true, hridContainsAppUUID: true }))).status).toBe(
      404,
    );
    const body = { ...byKey, planHrid: api.plans!.find((p) => p.hrid === 'keys')!.id! };
    await byUuid.put(body, { hridContainsApiUUID: true, hridContainsAppUUID: true });
    const env = simulator.state.environment('DEFAULT', 'DEFAULT')!;
    expect(env.subscriptions.get(api.id!)?.get('team-a-sub')).toMatchObject({ applicationHrid: app.id });

    await byUuid.delete('team-a-sub', { hridContainsApiUUID: true });
    expect(await byUuid.get('team-a-sub', { hridContainsApiUUID: true })).toBeUndefined();
    expect(env.closedSubscriptions.get(`${api.id!}/team-a-sub`)).toMatchObject({
      applicationHrid: app.id,
      closedAt: expect.any(String) as unknown,
    });
  });

  it('imports v2 APIs through mAPI v1, with the same path rules, and deletes them', async () => {
    const definition = {
      id: 'v2-id',
      crossId: 'v2-cross',
      name: 'Legacy',
      version: '1',
      description: 'd',
      proxy: { virtual_hosts: [{ path: '/legacy' }] },
      plans: [{ name: 'Free', crossId: 'p-cross', security: 'KEY_LESS' as const }],
      members: [{ source: 'memory', sourceId: 'alice', role: 'USER' }],
    };
    const status = await client.v2Apis.import(definition);
    expect(status).toMatchObject({
      id: 'v2-id',
      crossId: 'v2-cross',
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
    });
    expect(Object.keys(status.plans ?? {})).toEqual(['p-cross']);
    const { members: _members, ...entity } = definition;
    expect(await client.v2Apis.get('v2-id')).toEqual({
      ...entity,
      state: 'STARTED',
      categories: [],
      groups: [],
      plans: [{ ...definition.plans[0], id: status.plans?.['p-cross'] }],
    });
    const conflict = await client.apis.put(apiBody('team-a-legacy', '/legacy/'), { dryRun: true });
    expect(conflict.errors?.severe).toEqual(['path [/legacy/] already exists for API [v2-id]']);
    const refused = await failure(client.v2Apis.import({ ...definition, id: 'other', crossId: 'other' }));
    expect(refused.status).toBe(400);
    expect(refused.details.severe).toEqual(['path [/legacy/] already exists for API [v2-id]']);
    await client.v2Apis.delete('v2-id');
    await client.v2Apis.delete('v2-id');
    expect(simulator.requests().at(-1)?.status).toBe(404);
    expect(await client.v2Apis.get('v2-id')).toBeUndefined();
    expect(simulator.requests().at(-1)).toMatchObject({ method: 'GET', status: 404 });
  });

  it('keeps a log of requests that shows who called but never the credentials', async () => {
    await client.environment();
    const [request] = simulator.requests();
    expect(request).toMatchObject({
      method: 'GET',
      path: '/management/v2/organizations/DEFAULT/environments/DEFAULT',
      status: 200,
      caller: 'basic:admin',
    });
    expect(JSON.stringify(simulator.requests())).not.toContain(Buffer.from('admin:admin').toString('base64'));
  });

  it('counts recorded requests by method and path prefix', async () => {
    await client.apis.put(apiBody('team-a-count', '/count'));
    await client.apis.get('team-a-count');
    await client.applications.get('team-a-none');
    const automation = '/automation/organizations/DEFAULT/environments/DEFAULT';
    expect(simulator.countRequests()).toBe(3);
    expect(simulator.countRequests({ method: 'get' })).toBe(2);
    expect(simulator.countRequests({ method: 'GET', pathPrefix: `${automation}/apis/` })).toBe(1);
    expect(simulator.countRequests({ pathPrefix: `${automation}/apis` })).toBe(2);
  });
});

describe('faults injected into the simulator', () => {
  it('make the client retry 5xx and succeed, or give up after its last attempt', async () => {
    simulator.setFaults({ failNext: 2, errorStatus: 503 });
    expect((await client.apis.put(apiBody('team-a-retry', '/retry'))).hrid).toBe('team-a-retry');
    expect(simulator.requests().map((r) => r.status)).toEqual([503, 503, 200]);
    simulator.clearRequests();
    simulator.setFaults({ failNext: 3, errorStatus: 500 });
    const error = await failure(client.apis.get('team-a-retry'));
    expect(error.status).toBe(500);
    expect(error.terminal).toBe(false);
    expect(simulator.requests()).toHaveLength(3);
  });

  it('make the client retry dropped connections', async () => {
    simulator.setFaults({ dropNext: 1 });
    expect(await client.environment()).toEqual({ id: 'DEFAULT', name: 'DEFAULT' });
    simulator.setFaults({ dropNext: 5 });
    const error = await failure(client.environment());
    expect(error.details.kind).toBe('network');
    expect(error.message).toContain('APIM cannot be reached');
  });

  it('make the client time out when the answer takes too long', async () => {
    const impatient = clientFor(simulator.url, {}, { timeoutMs: 100, maxAttempts: 1 });
    simulator.setFaults({ latencyMs: 400 });
    const error = await failure(impatient.environment());
    expect(error.details.kind).toBe('timeout');
    await impatient.close();
  });

  it('carries out a call whose answer it holds back: the caller times out, the write is there', async () => {
    const impatient = clientFor(simulator.url, {}, { timeoutMs: 200, maxAttempts: 1 });
    simulator.setFaults({ lateRate: 1, lateMs: 1000 });
    const error = await failure(impatient.apis.put(apiBody('team-a-late', '/late')));
    expect(error.details.kind).toBe('timeout');
    simulator.clearFaults();
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has('team-a-late')).toBe(true);
    await impatient.close();
  });

  it('counts a write as going on until carried out, even when its caller gave up waiting', async () => {
    const impatient = clientFor(simulator.url, {}, { timeoutMs: 100, maxAttempts: 1 });
    simulator.setFaults({ latencyMs: 400, pathContains: '/apis' });
    await failure(impatient.apis.put(apiBody('team-a-slow', '/slow')));
    simulator.clearFaults();
    // The first is still being carried out by APIM: a second write of the object overlaps it.
    await client.apis.put(apiBody('team-a-slow', '/slow'));
    expect(simulator.writeOverlaps()).toEqual({
      '/automation/organizations/DEFAULT/environments/DEFAULT/apis/team-a-slow': 2,
    });
    await impatient.close();
  });

  it('counts writes of one object at once, and only those', async () => {
    simulator.setFaults({ latencyMs: 200, pathContains: '/apis' });
    await Promise.all([
      client.apis.put(apiBody('team-a-one', '/one')),
      client.apis.put(apiBody('team-a-one', '/one')),
      client.apis.put(apiBody('team-a-two', '/two')),
    ]);
    expect(simulator.writeOverlaps()).toEqual({
      '/automation/organizations/DEFAULT/environments/DEFAULT/apis/team-a-one': 2,
    });
  });

  it('can be limited to some paths', async () => {
    simulator.setFaults({ failNext: 5, pathContains: '/applications' });
    expect(await client.environment()).toEqual({ id: 'DEFAULT', name: 'DEFAULT' });
    expect((await failure(client.applications.get('x'))).status).toBe(503);
  });
});
