import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { httpStatusOf } from '../informer/api-errors.ts';
import { KubeApiError } from './api-request.ts';
import { connectionFor } from './connection-for.ts';
import type { KubeConnection } from './connection.ts';
import { watchStream, type WatchEvent } from './watch.ts';

let server: Server;
let connection: KubeConnection;
/** The open watch's response, for the test to write to. */
let open: Promise<{ request: IncomingMessage; response: ServerResponse }>;

afterEach(async () => {
  server.closeAllConnections();
  await Promise.all([new Promise((resolve) => server.close(resolve)), connection.close()]);
});

/** A server that answers the watch with `status` (and a Status body), or streams what the test writes. */
async function startServer(status = 200): Promise<void> {
  let opened: (value: { request: IncomingMessage; response: ServerResponse }) => void = () => {};
  open = new Promise((resolve) => (opened = resolve));
  server = createServer((request, response) => {
    if (status !== 200) {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ kind: 'Status', code: status, reason: 'Expired', message: 'too old' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.flushHeaders();
    opened({ request, response });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  connection = connectionFor({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

const event = (type: string, name: string) => JSON.stringify({ type, object: { metadata: { name } } });

function watch(signal = new AbortController().signal, onEvent: (event: WatchEvent) => void = () => {}) {
  const seen: string[] = [];
  const done = watchStream(connection, {
    path: '/api/v1/configmaps',
    query: { resourceVersion: '7', allowWatchBookmarks: true },
    signal,
    onOpen: () => seen.push('open'),
    onEvent: (e) => {
      seen.push(`${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);
      onEvent(e);
    },
  });
  return { seen, done };
}

describe('a watch stream', () => {
  it('hands each line as an event, however the chunks cut them, until the server ends it', async () => {
    await startServer();
    const { seen, done } = watch();
    const { request, response } = await open;
    expect(new URL(request.url!, 'http://x').search).toBe('?resourceVersion=7&allowWatchBookmarks=true&watch=true');

    const lines = `${event('ADDED', 'a')}\n${event('MODIFIED', 'b')}\n\n${event('DELETED', 'c')}\n`;
    response.write(lines.slice(0, 10));
    response.write(lines.slice(10, 60));
    response.write(lines.slice(60));
    await vi.waitFor(() => expect(seen).toEqual(['open', 'ADDED a', 'MODIFIED b', 'DELETED c']));
    // The last line need not end with a newline.
    response.end(event('BOOKMARK', 'd'));
    await done;
    expect(seen.at(-1)).toBe('BOOKMARK d');
  });

  it('rejects with the status of a refused watch, 410 Gone recognisable', async () => {
    await startServer(410);
    const { seen, done } = watch();
    const error = await done.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(httpStatusOf(error)).toBe(410);
    expect((error as Error).message).toBe('GET /api/v1/configmaps: 410 Expired: too old');
    expect(seen).toEqual([]);
  });

  it('ends at once when aborted, closing the connection', async () => {
    await startServer();
    const stop = new AbortController();
    const { done } = watch(stop.signal);
    const { request } = await open;
    const closed = new Promise((resolve) => request.on('close', resolve));
    stop.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    await closed;
  });

  it('ends with what an event handler throws', async () => {
    await startServer();
    const { done } = watch(undefined, () => {
      throw new Error('cannot apply');
    });
    (await open).response.write(`${event('ADDED', 'a')}\n`);
    await expect(done).rejects.toThrow('cannot apply');
  });

  it('rejects a line that is not JSON, without quoting it (it may be a Secret)', async () => {
    await startServer();
    const { done } = watch();
    (await open).response.write('{"type":"ADDED","object":{"data":{"password":"hunter2"}\n');
    const error = (await done.catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/the watch sent a line that is not JSON/);
    expect(error.message).not.toContain('hunter2');
  });
});
