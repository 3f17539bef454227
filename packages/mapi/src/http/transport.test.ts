import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApimError } from './errors.ts';
import { withApimDeadline } from './deadline.ts';
import { createTransport } from './transport.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

/** A server that holds every request it gets (accepts the connection, never answers) and counts them. */
async function hangingServer(): Promise<{ url: string; received: () => number }> {
  let received = 0;
  const server = createServer((_req: IncomingMessage, _res: ServerResponse) => {
    received++;
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received: () => received };
}

const credentials = { kind: 'basic', username: 'u', password: 'p' } as const;
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return error as ApimError;
  }
  throw new Error('expected a failure');
};

describe('the APIM transport', () => {
  it('gives up at the deadline of the work it belongs to, whatever its own timeout and retries', async () => {
    const server = await hangingServer();
    const transport = createTransport({ credentials, timeoutMs: 10_000, maxAttempts: 3, sleep: async () => {} });
    const started = Date.now();
    const error = await failure(
      withApimDeadline({ at: Date.now() + 300 }, () => transport.fetch(new Request(server.url))),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(ApimError);
    expect(error.details.kind).toBe('timeout');
    await transport.close();
  });

  it('cancels the calls of work that is abandoned', async () => {
    const server = await hangingServer();
    const transport = createTransport({ credentials, timeoutMs: 10_000 });
    const abandon = new AbortController();
    const call = withApimDeadline({ at: Date.now() + 10_000, signal: abandon.signal }, () =>
      transport.fetch(new Request(server.url)),
    );
    await new Promise((r) => setTimeout(r, 100));
    const abandoned = Date.now();
    abandon.abort();
    const error = await failure(call);
    expect(Date.now() - abandoned).toBeLessThan(1_000);
    expect(error.details.kind).toBe('timeout');
    await transport.close();
  });

  it('holds at most maxConcurrency calls in flight, queues a bounded number, and refuses more at once', async () => {
    const server = await hangingServer();
    const transport = createTransport({
      credentials,
      timeoutMs: 1_000,
      maxAttempts: 1,
      maxConcurrency: 2,
      maxQueued: 1,
    });
    const calls = [1, 2, 3].map(() => transport.fetch(new Request(server.url)).catch((e: unknown) => e));
    const refused = await failure(transport.fetch(new Request(server.url)));
    expect(refused.details.kind).toBe('busy');
    await new Promise((r) => setTimeout(r, 300));
    expect(server.received()).toBe(2);
    await Promise.all(calls);
    await transport.close();
  });

  it('read-only: sends reads and dry runs, and refuses any other call without sending it', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json').end('{}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = createTransport({ credentials, readOnly: true, maxAttempts: 1 });
    await transport.fetch(new Request(`${url}/apis/a`));
    await transport.fetch(new Request(`${url}/apis?dryRun=true`, { method: 'PUT', body: '{}' }));
    for (const method of ['PUT', 'POST', 'DELETE']) {
      const refused = await failure(
        transport.fetch(
          new Request(`${url}/apis/a?dryRun=false`, { method, ...(method === 'DELETE' ? {} : { body: '{}' }) }),
        ),
      );
      expect(refused.details.kind).toBe('refused');
      expect(refused.message).toContain('only reads from APIM');
    }
    expect(received).toEqual(['GET /apis/a', 'PUT /apis?dryRun=true']);
    await transport.close();
  });
});
