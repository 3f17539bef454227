// The client and its transport against small local servers, for what the simulator cannot show:
// connections, proxies, certificates, concurrency and redaction.
import { once } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '@gko/kube/pki';
import { createLogger } from '@gko/runtime';
import { createApimClient, type ClientOptions } from './client.ts';
import { ApimError } from './http/errors.ts';
import type { ApimTarget } from './target.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];

async function listen(server: Server): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const target = (baseUrl: string, over: Partial<ApimTarget> = {}): ApimTarget => ({
  context: 'test/apim',
  baseUrl,
  organizationId: 'O',
  environmentId: 'E',
  credentials: { kind: 'bearer', token: 'secret-token-123' },
  ...over,
});
const client = (baseUrl: string, options: ClientOptions = {}, over: Partial<ApimTarget> = {}) =>
  createApimClient(target(baseUrl, over), { sleep: () => Promise.resolve(), ...options });

async function failure(promise: Promise<unknown>): Promise<ApimError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApimError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('the APIM client', () => {
  it('sends the bearer token and calls the paths of the contract', async () => {
    const seen: string[] = [];
    const host = await listen(
      createServer(
        (req, res) => (
          seen.push(`${req.method} ${req.url} ${req.headers.authorization}`),
          json(res, 200, { id: 'E', name: 'E' })
        ),
      ),
    );
    const c = client(`http://${host}`);
    await c.environment();
    await c.apis.get('team-a-orders', { hridContainsUUID: true });
    expect(seen).toEqual([
      'GET /management/v2/organizations/O/environments/E Bearer secret-token-123',
      'GET /automation/organizations/O/environments/E/apis/team-a-orders?hridContainsUUID=true Bearer secret-token-123',
    ]);
    await c.close();
  });

  it('does not retry 400, 401 or 403, and reads APIM error bodies', async () => {
    for (const status of [400, 401, 403]) {
      let hits = 0;
      const host = await listen(
        createServer(
          (_req, res) => (
            hits++,
            json(res, status, { httpStatus: status, message: `no (${status})`, technicalCode: 'nope' })
          ),
        ),
      );
      const error = await failure(client(`http://${host}`).apis.put({} as never));
      expect(hits).toBe(1);
      expect(error.terminal).toBe(true);
      expect(error.message).toBe(
        `PUT http://${host}/automation/organizations/O/environments/E/apis: APIM answered ${status}: no (${status}) (nope)`,
      );
    }
  });

  it('counts a delete of something that is not there as done, and a get of it as nothing', async () => {
    const host = await listen(createServer((_req, res) => json(res, 404, { message: 'not found' })));
    const c = client(`http://${host}`);
    await expect(c.apis.delete('x-y-z')).resolves.toBeUndefined();
    await expect(c.apis.get('x-y-z')).resolves.toBeUndefined();
    await expect(c.v2Apis.delete('id')).resolves.toBeUndefined();
    await expect(c.v2Apis.get('id')).resolves.toBeUndefined();
  });

  it('reads a v2 API back through mAPI v1, and fails on other errors than 404', async () => {
    const seen: string[] = [];
    const host = await listen(
      createServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        if (req.url?.endsWith('/apis/broken')) json(res, 400, { message: 'no', http_status: 400 });
        else json(res, 200, { id: 'api-1', crossId: 'cross-1', state: 'STOPPED', owner: { id: 'u' } });
      }),
    );
    const c = client(`http://${host}`);
    expect(await c.v2Apis.get('api-1')).toEqual({
      id: 'api-1',
      crossId: 'cross-1',
      state: 'STOPPED',
      owner: { id: 'u' },
    });
    expect((await failure(c.v2Apis.get('broken'))).status).toBe(400);
    expect(seen).toEqual([
      'GET /management/organizations/O/environments/E/apis/api-1',
      'GET /management/organizations/O/environments/E/apis/broken',
    ]);
    await c.close();
  });

  it('honours Retry-After on 429 (within the backoff policy)', async () => {
    let hits = 0;
    const host = await listen(
      createServer((_req, res) =>
        ++hits === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : json(res, 200, { id: 'E' }),
      ),
    );
    const waits: number[] = [];
    await client(`http://${host}`, { sleep: (ms) => (waits.push(ms), Promise.resolve()) }).environment();
    expect(waits).toEqual([1000]);
  });

  it('keeps at most maxConcurrency calls in flight, and reuses connections', async () => {
    let inFlight = 0;
    let peak = 0;
    const sockets = new Set<unknown>();
    const handler: Handler = (req, res) => {
      sockets.add(req.socket);
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => (inFlight--, json(res, 200, { id: 'E' })), 30);
    };
    const host = await listen(createServer(handler));
    const c = client(`http://${host}`, { maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => c.environment()));
    expect(peak).toBe(2);
    expect(sockets.size).toBeLessThanOrEqual(2);
    await c.close();
  });

  it('goes through a proxy, with its credentials', async () => {
    const upstream = await listen(createServer((_req, res) => json(res, 200, { id: 'E', name: 'via proxy' })));
    const forwarded: string[] = [];
    const proxy = await listen(
      createServer((req, res) => {
        forwarded.push(`${req.url} ${req.headers['proxy-authorization']}`);
        const out = httpRequest(
          req.url!,
          { method: req.method, headers: req.headers },
          (answer) => (res.writeHead(answer.statusCode!, answer.headers), answer.pipe(res)),
        );
        req.pipe(out);
      }),
    );
    const c = client(`http://${upstream}`, {
      proxy: { url: `http://${proxy}`, username: 'bob', password: 'proxy-pass' },
    });
    expect(await c.environment()).toEqual({ id: 'E', name: 'via proxy' });
    expect(forwarded).toEqual([
      `http://${upstream}/management/v2/organizations/O/environments/E Basic ${Buffer.from('bob:proxy-pass').toString('base64')}`,
    ]);
    await c.close();
  });

  it('trusts an extra CA bundle, or any certificate only when told to', async () => {
    const ca = await createCertificateAuthority({ commonName: 'private-ca', validityDays: 1 });
    const serving = await ca.issue({
      commonName: 'apim',
      ipAddresses: ['127.0.0.1'],
      usage: 'server',
      validityDays: 1,
    });
    const host = await listen(
      createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, (_req, res) => json(res, 200, { id: 'E' })),
    );
    const untrusted = await failure(client(`https://${host}`, { maxAttempts: 1 }).environment());
    expect(untrusted.details.kind).toBe('network');
    expect(await client(`https://${host}`, { caBundle: ca.certPem }).environment()).toEqual({ id: 'E' });
    expect(await client(`https://${host}`, { insecureSkipVerify: true }).environment()).toEqual({ id: 'E' });
  });

  it('keeps credentials out of error messages and logs, even when APIM echoes them', async () => {
    const host = await listen(
      createServer((req, res) => json(res, 401, { message: `bad token: ${req.headers.authorization}` })),
    );
    const lines: string[] = [];
    const logger = createLogger({ component: 'test', level: 'debug', write: (line) => lines.push(line) });
    const basic = client(
      `http://${host}`,
      { logger },
      { credentials: { kind: 'basic', username: 'bot', password: 'hunter2-password' } },
    );
    const error = await failure(basic.environment());
    const bearer = await failure(client(`http://${host}`, { logger }).environment());
    const shown = [
      error.message,
      JSON.stringify(error.details),
      bearer.message,
      JSON.stringify(bearer.details),
      ...lines,
    ].join('\n');
    expect(shown).toContain('bad token');
    for (const secret of [
      'hunter2-password',
      Buffer.from('bot:hunter2-password').toString('base64'),
      'secret-token-123',
    ])
      expect(shown).not.toContain(secret);
  });
});
