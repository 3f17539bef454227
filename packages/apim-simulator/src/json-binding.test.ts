// Bodies shaped like those of a client written elsewhere (the upstream Go operator sends null for the
// optional lists and objects it leaves empty): accepted as APIM accepts them, while what APIM
// refuses is still refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from './server.ts';
import { apiBody } from './test-support.ts';
import { withoutNulls } from './json-binding.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(() => simulator.stop());

const base = () => `${simulator.url}/automation/organizations/DEFAULT/environments/DEFAULT`;
const put = async (url: string, body: unknown) => {
  const response = await fetch(url, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

describe("APIM's JSON binding, as the simulator reads it", () => {
  it('takes null for absent, at any depth, keeping list items', () => {
    expect(withoutNulls({ a: null, b: [null, { c: null, d: 1 }], e: { f: null } })).toEqual({
      b: [null, { d: 1 }],
      e: {},
    });
  });

  it('accepts a v4 API with null tags, pages and plan characteristics', async () => {
    const body = apiBody('nulls-api', '/nulls', { tags: null, pages: null } as never);
    (body.plans![0] as Record<string, unknown>)['characteristics'] = null;
    const { status, json } = await put(`${base()}/apis?dryRun=true`, body);
    expect(status).toBe(200);
    expect(json).not.toHaveProperty('tags');
  });

  it('accepts an application with null groups, members, metadata and notifyMembers', async () => {
    const body = {
      hrid: 'nulls-app',
      name: 'Nulls',
      description: 'd',
      settings: { app: { type: 'web' } },
      groups: null,
      members: null,
      metadata: null,
      notifyMembers: null,
    };
    expect((await put(`${base()}/applications?dryRun=true`, body)).status).toBe(200);
  });

  it('accepts a v2 API with null pages', async () => {
    const body = {
      id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      crossId: 'aaaaaaaa-bbbb-4ccc-8ddd-ffffffffffff',
      name: 'nulls',
      version: '1',
      description: 'd',
      proxy: {
        virtual_hosts: [{ path: '/nulls-v2' }],
        groups: [{ name: 'default', endpoints: [{ name: 'one', target: 'http://b' }] }],
      },
      pages: null,
    };
    const url = `${simulator.url}/management/organizations/DEFAULT/environments/DEFAULT/apis/import-crd?dryRun=true`;
    expect((await put(url, body)).status).toBe(200);
  });

  it('still refuses a null where APIM needs a value', async () => {
    const { status, json } = await put(`${base()}/apis?dryRun=true`, { ...apiBody('nulls-bad', '/bad'), name: null });
    expect(status).toBe(400);
    expect(String(json['message'])).toContain('name');
  });
});
