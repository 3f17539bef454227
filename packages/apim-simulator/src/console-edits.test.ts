// Console edits and deletions behind the operator's back: in-process through the handle, and over
// HTTP for a simulator in another process; neither is a request of the operator.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApimClient } from '@gko/mapi';
import { EditError } from './edits.ts';
import { startSimulator, type Simulator } from './server.ts';
import { apiBody, clientFor } from './test-support.ts';

let simulator: Simulator;
let client: ApimClient;

beforeAll(async () => {
  simulator = await startSimulator({ organizations: { DEFAULT: { DEFAULT: {} }, ACME: { PROD: {} } } });
  client = clientFor(simulator.url);
});
afterEach(() => simulator.reset());
afterAll(async () => {
  await client.close();
  await simulator.stop();
});

const v2Definition = {
  id: 'v2-id',
  crossId: 'v2-cross',
  name: 'Legacy',
  version: '1',
  description: 'd',
  proxy: { virtual_hosts: [{ path: '/legacy' }] },
};
const application = { hrid: 'team-a-shop', name: 'Shop', description: 'shop', settings: { app: { type: 'web' } } };

function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${simulator.url}/_simulator${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

describe('console edits, in-process', () => {
  it('merge into a v4 API, which the operator then reads back, without showing in the request log', async () => {
    const stored = await client.apis.put(apiBody('team-a-orders', '/orders', { description: 'mine' }));
    const edited = simulator.edit('apis', 'team-a-orders', { description: 'edited in the console', tags: ['x'] });
    expect(edited).toEqual({ ...stored, description: 'edited in the console', tags: ['x'] });
    expect(await client.apis.get('team-a-orders')).toEqual(edited);
    expect(simulator.requests().map((r) => r.method)).toEqual(['PUT', 'GET']);
  });

  it('remove a field set to undefined, and leave what identifies the object alone', () => {
    simulator.state.environment('DEFAULT', 'DEFAULT')!.groups.set('team-a-ops', {
      hrid: 'team-a-ops',
      id: 'g-1',
      name: 'ops',
      notifyMembers: true,
    });
    expect(simulator.edit('groups', 'team-a-ops', { notifyMembers: undefined })).toEqual({
      hrid: 'team-a-ops',
      id: 'g-1',
      name: 'ops',
    });
    expect(() => simulator.edit('groups', 'team-a-ops', { id: 'other' })).toThrow(EditError);
    expect(simulator.edit('groups', 'team-a-ops', { id: 'g-1', name: 'ops2' })?.name).toBe('ops2');
  });

  it('stop a v2 API and change its tags, as mAPI v1 then answers', async () => {
    await client.v2Apis.import(v2Definition);
    const edited = simulator.edit('v2Apis', 'v2-id', { state: 'STOPPED', tags: ['internal'] });
    expect(edited).toMatchObject({ id: 'v2-id', crossId: 'v2-cross', state: 'STOPPED', tags: ['internal'] });
    expect(await client.v2Apis.get('v2-id')).toEqual(edited);
  });

  it('answer undefined for what is not there, and refuse an environment that does not exist', () => {
    expect(simulator.edit('applications', 'team-a-none', { name: 'x' })).toBeUndefined();
    expect(simulator.remove('dictionaries', 'team-a-none')).toBe(false);
    expect(() => simulator.edit('apis', 'x', {}, { organizationId: 'NOPE' })).toThrow(
      'environment [NOPE/DEFAULT] cannot be found',
    );
  });

  it('delete objects behind the operator, a v4 API with its subscriptions', async () => {
    await client.apis.put(apiBody('team-a-orders', '/orders'));
    await client.applications.put(application);
    await client.subscriptions('team-a-orders').put({
      hrid: 'team-a-sub',
      applicationHrid: 'team-a-shop',
      planHrid: 'keys',
    });
    await client.v2Apis.import(v2Definition);
    expect(simulator.remove('apis', 'team-a-orders')).toBe(true);
    expect(simulator.remove('v2Apis', 'v2-id')).toBe(true);
    expect(await client.apis.get('team-a-orders')).toBeUndefined();
    expect(await client.v2Apis.get('v2-id')).toBeUndefined();
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.subscriptions.has('team-a-orders')).toBe(false);
    expect(await client.applications.get('team-a-shop')).toBeDefined();
  });
});

describe('console edits, over HTTP', () => {
  it('merge a patch, in the environment asked for, and answer the edited object', async () => {
    const acme = clientFor(simulator.url, { organizationId: 'ACME', environmentId: 'PROD' });
    await acme.applications.put(application);
    const response = await control(
      'PATCH',
      '/objects/applications/team-a-shop?organizationId=ACME&environmentId=PROD',
      { description: 'edited' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ hrid: 'team-a-shop', description: 'edited' });
    expect((await acme.applications.get('team-a-shop'))?.description).toBe('edited');
    expect((await control('PATCH', '/objects/applications/team-a-shop', { description: 'x' })).status).toBe(404);
    await acme.close();
  });

  it('delete, then answer 404; refuse unknown kinds, bodies that are not objects and identity changes', async () => {
    await client.apis.put(apiBody('team-a-orders', '/orders'));
    expect((await control('PATCH', '/objects/subscriptions/team-a-sub', {})).status).toBe(400);
    expect((await control('PATCH', '/objects/apis/team-a-orders', ['x'])).status).toBe(400);
    const identity = await control('PATCH', '/objects/apis/team-a-orders', { hrid: 'team-a-other' });
    expect(identity.status).toBe(400);
    expect(await identity.json()).toEqual({ message: 'the hrid of an object cannot be edited' });
    expect((await control('DELETE', '/objects/apis/team-a-orders')).status).toBe(204);
    expect((await control('DELETE', '/objects/apis/team-a-orders')).status).toBe(404);
    expect((await control('DELETE', '/objects/apis/x?organizationId=NOPE')).status).toBe(404);
    expect(simulator.requests().map((r) => r.method)).toEqual(['PUT']);
  });
});
