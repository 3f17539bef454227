import { afterEach, describe, expect, it, vi } from 'vitest';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { FakeApiServer, configMap } from './fake-api-server.ts';
import { Informer } from './informer.ts';
import type { InformerOptions, RestartReason } from './informer-options.ts';
import { CONFIG_MAPS } from './resource.ts';

let server: FakeApiServer;
const started: Informer<V1ConfigMap>[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((informer) => informer.stop()));
  await server.stop();
});

// So slow that a test only passes if the informer recovers without going through the error path.
const SLOW_BACKOFF = { baseDelayMs: 10_000, maxDelayMs: 10_000, jitter: 0 };
const FAST_BACKOFF = { baseDelayMs: 20, maxDelayMs: 50, jitter: 0 };

function follow(options: InformerOptions<V1ConfigMap> = {}) {
  const restarts: RestartReason[] = [];
  const events: string[] = [];
  const informer = new Informer<V1ConfigMap>(server.connection(), CONFIG_MAPS, {
    watchSeconds: 30,
    backoff: FAST_BACKOFF,
    onRestart: (reason) => restarts.push(reason),
    ...options,
  });
  informer.on((object, event) => events.push(`${event} ${object.metadata?.namespace}/${object.metadata?.name}`));
  started.push(informer);
  informer.start();
  return { informer, restarts, events };
}

async function startServer(...objects: V1ConfigMap[]) {
  server = await FakeApiServer.start();
  for (const object of objects) server.put(object);
}

const watchEstablished = () => vi.waitFor(() => expect(server.count('watch')).toBeGreaterThan(0));
const names = (objects: V1ConfigMap[]) => objects.map((o) => o.metadata?.name).sort();

describe('an informer', () => {
  it('lists page by page, then follows the watch', async () => {
    await startServer(...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => configMap('ns', name)));
    const { informer, events } = follow({ pageSize: 3 });
    await informer.synced;

    const lists = server.requests.filter((r) => r.kind === 'list');
    expect(lists.map((r) => r.query.get('limit'))).toEqual(['3', '3', '3']);
    expect(lists.map((r) => r.query.has('continue'))).toEqual([false, true, true]);
    expect(names(informer.list())).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(informer.get('ns', 'g')?.kind).toBe('ConfigMap');

    await watchEstablished();
    server.put(configMap('ns', 'h'));
    server.put(configMap('ns', 'a', { data: { changed: 'yes' } }));
    server.remove('ns', 'b');
    await vi.waitFor(() => expect(events.slice(7)).toEqual(['add ns/h', 'update ns/a', 'delete ns/b']));
    expect(informer.get('ns', 'a')?.data).toEqual({ changed: 'yes' });
    expect(informer.get('ns', 'b')).toBeUndefined();
  });

  it('starts a paged list again from the first page when its continue token expired', async () => {
    await startServer(...['a', 'b', 'c', 'd', 'e'].map((name) => configMap('ns', name)));
    server.expireNextContinueToken();
    const { informer, restarts } = follow({ pageSize: 2, backoff: SLOW_BACKOFF });
    await informer.synced;

    const lists = server.requests.filter((r) => r.kind === 'list');
    expect(lists.map((r) => r.query.has('continue'))).toEqual([false, true, false, true, true]);
    expect(names(informer.list())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(restarts).toEqual(['gone']);
  });

  it('lists again at once on an ERROR event with code 410, even if the server keeps the watch open', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow({ backoff: SLOW_BACKOFF });
    await informer.synced;
    await watchEstablished();
    // A change the watch never reports: only a new list can find it.
    server.putQuietly(configMap('ns', 'missed'));
    server.sendErrorEvent(410);

    await vi.waitFor(() => expect(informer.get('ns', 'missed')).toBeDefined());
    expect(server.count('list')).toBe(2);
    expect(restarts).toEqual(['gone']);
  });

  it('backs off before reopening a watch that ends as soon as it opens, instead of looping', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer } = follow({ backoff: { baseDelayMs: 200, maxDelayMs: 400, jitter: 0 } });
    await informer.synced;
    await watchEstablished();
    server.endWatchesAtOnce(1_000);
    server.endWatches();
    await new Promise((r) => setTimeout(r, 1_000));
    // 200 + 400 + 400 ms of waits in that second: a handful of watches, not hundreds.
    expect(server.count('watch')).toBeLessThanOrEqual(6);
    expect(server.count('watch')).toBeGreaterThanOrEqual(3);
  });

  it('watches again from the same version, without a list, while the API server does not answer', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow();
    await informer.synced;
    await watchEstablished();
    await new Promise((r) => setTimeout(r, 1_100));
    const version = server.requests
      .filter((r) => r.kind === 'watch')
      .at(-1)!
      .query.get('resourceVersion');
    server.dropWatches(2);
    server.endWatches();
    server.put(configMap('ns', 'meanwhile'));
    await vi.waitFor(() => expect(informer.get('ns', 'meanwhile')).toBeDefined());
    const watches = server.requests.filter((r) => r.kind === 'watch');
    expect(watches.slice(-3).map((r) => r.query.get('resourceVersion'))).toEqual([version, version, version]);
    expect(server.count('list')).toBe(1);
    expect(restarts).toEqual(['error', 'error']);
    expect(informer.failingSinceMs()).toBeUndefined();
  });

  it('takes any other ERROR event for a failure: lists again after a backoff', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow();
    await informer.synced;
    await watchEstablished();
    server.putQuietly(configMap('ns', 'missed'));
    server.sendErrorEvent(500);

    await vi.waitFor(() => expect(informer.get('ns', 'missed')).toBeDefined());
    expect(restarts).toEqual(['error']);
  });

  it('lists again at once when a watch is answered with HTTP 410', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow({ backoff: SLOW_BACKOFF });
    await informer.synced;
    await watchEstablished();
    // A watch that lasted (one ending at once is backed off: see below).
    await new Promise((r) => setTimeout(r, 1_100));
    server.putQuietly(configMap('ns', 'missed'));
    server.failWatches(410);
    server.endWatches();

    await vi.waitFor(() => expect(informer.get('ns', 'missed')).toBeDefined());
    expect(server.count('list')).toBe(2);
    expect(restarts).toEqual(['gone']);
    expect(informer.failingSinceMs()).toBeUndefined();
  });

  it('gives up a watch that went silent and resumes it from the last version seen', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow({ watchdogMs: 300, backoff: SLOW_BACKOFF });
    await informer.synced;
    await watchEstablished();
    server.silenceWatches();
    server.put(configMap('ns', 'late'));

    await vi.waitFor(() => expect(informer.get('ns', 'late')).toBeDefined(), { timeout: 3000 });
    expect(restarts[0]).toBe('watchdog');
    const watches = server.requests.filter((r) => r.kind === 'watch');
    expect(watches[1]?.query.get('resourceVersion')).toBe(watches[0]?.query.get('resourceVersion'));
    expect(server.count('list')).toBe(1);
  });

  it('takes bookmarks for signs of life, and resumes from their version', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, restarts } = follow({ watchdogMs: 300 });
    await informer.synced;
    await watchEstablished();
    for (let i = 0; i < 8; i++) {
      server.putQuietly(configMap('ns', `quiet-${i}`));
      server.bookmark();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(restarts).toEqual([]);
    expect(server.count('watch')).toBe(1);

    server.endWatches();
    await vi.waitFor(() => expect(server.count('watch')).toBe(2));
    const watches = server.requests.filter((r) => r.kind === 'watch');
    expect(Number(watches[1]?.query.get('resourceVersion'))).toBe(Number(watches[0]?.query.get('resourceVersion')) + 8);
  });

  it('gives up a list page that never comes, and lists again', async () => {
    await startServer(configMap('ns', 'a'));
    server.holdLists(1);
    const { informer, restarts } = follow({ listPageTimeoutMs: 200 });
    await informer.synced;
    expect(restarts).toEqual(['error']);
    expect(informer.size).toBe(1);
  });

  it('stops at once, even in the middle of a list that hangs', async () => {
    await startServer();
    server.holdLists(1);
    const { informer } = follow();
    await vi.waitFor(() => expect(server.count('list')).toBe(1));
    const before = Date.now();
    await informer.stop();
    expect(Date.now() - before).toBeLessThan(1000);
  });

  it('keeps telling the other handlers, and keeps following, when a handler fails', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, events } = follow();
    informer.on(() => {
      throw new Error('broken handler');
    });
    informer.on(() => Promise.reject(new Error('broken async handler')));
    const heard: string[] = [];
    informer.on((object, event) => heard.push(`${event} ${object.metadata?.name}`));
    await informer.synced;
    await watchEstablished();
    server.put(configMap('ns', 'b'));
    server.put(configMap('ns', 'c'));

    await vi.waitFor(() => expect(heard).toEqual(['add a', 'add b', 'add c']));
    expect(events).toEqual(['add ns/a', 'add ns/b', 'add ns/c']);
    expect(names(informer.list())).toEqual(['a', 'b', 'c']);
  });

  it('drops managedFields, and nothing else, from listed and watched objects by default', async () => {
    const managedFields = [{ manager: 'kubectl', operation: 'Apply' }];
    await startServer(configMap('ns', 'listed', { labels: { app: 'x' }, data: { k: 'v' }, managedFields }));
    const { informer } = follow();
    const emitted: V1ConfigMap[] = [];
    informer.on((object) => emitted.push(object));
    await informer.synced;
    await watchEstablished();
    server.put(configMap('ns', 'watched', { labels: { app: 'y' }, managedFields }));
    await vi.waitFor(() => expect(emitted).toHaveLength(2));

    for (const object of [...informer.list(), ...emitted]) {
      expect(object.metadata?.managedFields).toBeUndefined();
      expect(object.metadata?.labels?.['app']).toMatch(/x|y/);
      expect(object.metadata?.resourceVersion).toBeDefined();
    }
    expect(informer.get('ns', 'listed')?.data).toEqual({ k: 'v' });
  });

  it('applies a given transform to listed and watched objects before caching and telling handlers', async () => {
    await startServer(configMap('ns', 'listed', { data: { secret: 'big' } }));
    const { informer } = follow({ transform: (object) => ({ ...object, data: { kept: 'summary' } }) });
    const emitted: V1ConfigMap[] = [];
    informer.on((object) => emitted.push(object));
    await informer.synced;
    await watchEstablished();
    server.put(configMap('ns', 'watched', { data: { secret: 'big' } }));
    await vi.waitFor(() => expect(emitted).toHaveLength(2));

    for (const object of [...informer.list(), ...emitted]) expect(object.data).toEqual({ kept: 'summary' });
  });

  it('keeps indexes current through list, watch events, late addition and relist', async () => {
    await startServer(
      configMap('ns', 'a', { labels: { team: 'red' }, data: { x: '' } }),
      configMap('ns', 'b', { labels: { team: 'blue' } }),
    );
    const { informer } = follow({ backoff: SLOW_BACKOFF });
    const team = (object: V1ConfigMap) => [object.metadata?.labels?.['team'] ?? 'none'];
    informer.addIndex('team', team);
    await informer.synced;
    expect(names(informer.byIndex('team', 'red'))).toEqual(['a']);

    // Added once objects are cached: they are indexed at once.
    informer.addIndex('keys', (object) => Object.keys(object.data ?? {}));
    expect(names(informer.byIndex('keys', 'x'))).toEqual(['a']);

    await watchEstablished();
    server.put(configMap('ns', 'a', { labels: { team: 'blue' }, data: { y: '' } }));
    server.put(configMap('ns', 'c', { labels: { team: 'red' } }));
    server.remove('ns', 'b');
    await vi.waitFor(() => expect(names(informer.byIndex('team', 'red'))).toEqual(['c']));
    expect(names(informer.byIndex('team', 'blue'))).toEqual(['a']);
    expect(informer.byIndex('keys', 'x')).toEqual([]);
    expect(names(informer.byIndex('keys', 'y'))).toEqual(['a']);

    server.putQuietly(configMap('ns', 'c', { labels: { team: 'green' } }));
    server.sendErrorEvent(410);
    await vi.waitFor(() => expect(names(informer.byIndex('team', 'green'))).toEqual(['c']));
    expect(informer.byIndex('team', 'red')).toEqual([]);
    expect(() => informer.byIndex('nope', 'x')).toThrow(/no index named nope/);
  });

  it('hands every cached object again at each resync, without asking the API server', async () => {
    await startServer(configMap('ns', 'a'), configMap('ns', 'b'));
    const { informer, events } = follow({ resyncMs: 100 });
    await informer.synced;

    await vi.waitFor(() => {
      expect(events.filter((e) => e === 'resync ns/a').length).toBeGreaterThanOrEqual(3);
      expect(events.filter((e) => e === 'resync ns/b').length).toBeGreaterThanOrEqual(3);
    });
    expect(server.count('list')).toBe(1);
  });

  it('never resyncs when the period is 0', async () => {
    await startServer(configMap('ns', 'a'));
    const { informer, events } = follow({ resyncMs: 0 });
    await informer.synced;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.filter((e) => e.startsWith('resync'))).toEqual([]);
  });

  it('tells how long it has been failing, until the watch is established again', async () => {
    await startServer(configMap('ns', 'a'));
    server.failLists(503, 8);
    const { informer } = follow({ backoff: { baseDelayMs: 50, maxDelayMs: 50, jitter: 0 } });
    expect(informer.failingSinceMs()).toBeUndefined();

    await vi.waitFor(() => expect(informer.failingSinceMs()).toBeGreaterThan(100));
    expect(informer.isSynced).toBe(false);
    await informer.synced;
    await vi.waitFor(() => expect(informer.failingSinceMs()).toBeUndefined());
    expect(informer.isSynced).toBe(true);
  });
});
