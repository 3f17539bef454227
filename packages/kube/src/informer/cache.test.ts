import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ClusterCache } from './cache.ts';
import { FakeApiServer, configMap } from './fake-api-server.ts';
import type { InformerEvent } from './informer.ts';
import { DataNotLoadedError, isWithoutData, withoutData } from './data-policy.ts';
import { Informer } from './informer.ts';
import { objectData } from '../client/object-data.ts';
import { CONFIG_MAPS, GRAVITEE_RESOURCES } from './resource.ts';

let server: FakeApiServer;
let cache: ClusterCache;

afterEach(async () => {
  await cache.stop();
  await server.stop();
});

const names = (objects: KubernetesObject[]) => objects.map((o) => o.metadata?.name).sort();

async function followNamespaces(namespaces: string[], backoff = { baseDelayMs: 20, maxDelayMs: 50, jitter: 0 }) {
  cache = new ClusterCache(server.connection(), { namespaces, resources: [CONFIG_MAPS], watchSeconds: 30, backoff });
  cache.start();
  await vi.waitFor(() => expect(server.count('watch')).toBe(namespaces.length));
}

describe('the cluster cache', () => {
  it('follows each namespace given, and only those', async () => {
    server = await FakeApiServer.start();
    server.put(configMap('a', 'one'));
    server.put(configMap('b', 'two'));
    server.put(configMap('c', 'three'));
    await followNamespaces(['a', 'b']);
    await cache.synced();

    expect(cache.isSynced).toBe(true);
    expect(names(cache.list('ConfigMap'))).toEqual(['one', 'two']);
    expect(names(cache.list('ConfigMap', 'b'))).toEqual(['two']);
    expect(cache.list('ConfigMap', 'c')).toEqual([]);
    expect(cache.get('ConfigMap', 'b', 'two')?.metadata?.name).toBe('two');
    expect(cache.get('ConfigMap', 'c', 'three')).toBeUndefined();
    expect(cache.sizes()).toEqual({ ConfigMap: 2 });
  });

  it('tells onChange handlers the object and the event, and still accepts one-argument handlers', async () => {
    server = await FakeApiServer.start();
    await followNamespaces(['a', 'b']);
    const heard: [string | undefined, InformerEvent][] = [];
    const objects: KubernetesObject[] = [];
    cache.onChange((object, event) => heard.push([object.metadata?.name, event]));
    cache.onChange((object) => objects.push(object));
    server.put(configMap('b', 'new'));
    server.remove('b', 'new');

    await vi.waitFor(() =>
      expect(heard).toEqual([
        ['new', 'add'],
        ['new', 'delete'],
      ]),
    );
    expect(objects).toHaveLength(2);
  });

  it('indexes a kind across its namespaces', async () => {
    server = await FakeApiServer.start();
    server.put(configMap('a', 'one', { labels: { context: 'dev' } }));
    server.put(configMap('b', 'two', { labels: { context: 'dev' } }));
    server.put(configMap('b', 'three', { labels: { context: 'prod' } }));
    await followNamespaces(['a', 'b']);
    await cache.synced();
    cache.addIndex('ConfigMap', 'context', (object) => [object.metadata?.labels?.['context'] ?? '']);

    expect(names(cache.byIndex('ConfigMap', 'context', 'dev'))).toEqual(['one', 'two']);
    server.put(configMap('a', 'one', { labels: { context: 'prod' } }));
    await vi.waitFor(() => expect(names(cache.byIndex('ConfigMap', 'context', 'prod'))).toEqual(['one', 'three']));
    expect(() => cache.addIndex('Secret', 'context', () => [])).toThrow(/does not follow Secret/);
  });

  it('keeps the data of only the Secrets and ConfigMaps the policy names, and reads one in when it comes to be needed', async () => {
    server = await FakeApiServer.start();
    server.put(configMap('a', 'named', { data: { url: 'https://apim' } }));
    server.put(configMap('a', 'other', { data: { big: 'x'.repeat(4096) }, labels: { team: 'shop' } }));
    const needed = new Set(['named']);
    cache = new ClusterCache(server.connection(), { resources: [CONFIG_MAPS], watchSeconds: 30 });
    cache.keepDataOnlyWhere((object) => needed.has(object.metadata?.name ?? ''));
    cache.start();
    await cache.synced();

    expect(objectData(cache.get('ConfigMap', 'a', 'named'))).toEqual({ url: 'https://apim' });
    const other = cache.get('ConfigMap', 'a', 'other');
    // Its metadata is all there (a name taken, its labels, marks); its data is not, and says so.
    expect(other?.metadata?.labels).toEqual({ team: 'shop' });
    expect(isWithoutData(other)).toBe(true);
    expect(other).not.toHaveProperty('data');
    expect(() => objectData(other)).toThrow(DataNotLoadedError);
    expect(() => objectData(other)).toThrow('the data of ConfigMap a/other is not in the cache yet');

    needed.add('other');
    // Asked for at once by two readers: one read.
    await Promise.all([cache.loadData('ConfigMap', 'a', 'other'), cache.loadData('ConfigMap', 'a', 'other')]);
    await cache.loadData('ConfigMap', 'a', 'other');
    expect(server.count('get')).toBe(1);
    expect(objectData(cache.get('ConfigMap', 'a', 'other'))?.['big']).toHaveLength(4096);

    // Changes of a needed one arrive whole; once nothing needs it, its data goes.
    server.put(configMap('a', 'other', { data: { big: 'y' } }));
    await vi.waitFor(() => expect(objectData(cache.get('ConfigMap', 'a', 'other'))).toEqual({ big: 'y' }));
    needed.delete('other');
    cache.releaseData('ConfigMap', 'a', 'other');
    expect(isWithoutData(cache.get('ConfigMap', 'a', 'other'))).toBe(true);
    server.put(configMap('a', 'another', { data: { k: 'v' } }));
    await vi.waitFor(() => expect(cache.get('ConfigMap', 'a', 'another')).toBeDefined());
    expect(isWithoutData(cache.get('ConfigMap', 'a', 'another'))).toBe(true);
    expect(server.count('get')).toBe(1);
  });

  it('reads the data of one needed but cached without it as soon as it is asked for', async () => {
    server = await FakeApiServer.start();
    server.put(configMap('a', 'creds', { data: { token: 't' } }));
    const needed = new Set<string>();
    cache = new ClusterCache(server.connection(), { resources: [CONFIG_MAPS], watchSeconds: 30 });
    cache.keepDataOnlyWhere((object) => needed.has(object.metadata?.name ?? ''));
    cache.start();
    await cache.synced();
    // A reader that raced the list, or whose read failed: the next get reads it.
    needed.add('creds');
    expect(() => objectData(cache.get('ConfigMap', 'a', 'creds'))).toThrow(DataNotLoadedError);
    await vi.waitFor(() => expect(objectData(cache.get('ConfigMap', 'a', 'creds'))).toEqual({ token: 't' }));
    expect(server.count('get')).toBe(1);
  });

  it('does not put an older read in place of a copy the watch brought meanwhile', async () => {
    server = await FakeApiServer.start();
    server.put(configMap('a', 'creds', { data: { token: 'one' } }));
    let needed = false;
    const informer = new Informer(server.connection(), CONFIG_MAPS, {
      watchSeconds: 30,
      transform: (object) => (needed ? object : withoutData(object)),
    });
    informer.start();
    await informer.synced;
    const expected = informer.get('a', 'creds')!;
    const readBefore = { ...configMap('a', 'creds', { data: { token: 'one' } }), metadata: expected.metadata! };
    server.put(configMap('a', 'creds', { data: { token: 'two' } }));
    await vi.waitFor(() => expect(informer.get('a', 'creds')).not.toBe(expected));
    needed = true;
    expect(informer.refill(readBefore, expected)).toBe(false);
    expect(isWithoutData(informer.get('a', 'creds'))).toBe(true);
    // The object it was read for, still cached: filled in.
    const current = informer.get('a', 'creds')!;
    expect(
      informer.refill({ ...configMap('a', 'creds', { data: { token: 'two' } }), metadata: current.metadata! }, current),
    ).toBe(true);
    expect(objectData(informer.get('a', 'creds'))).toEqual({ token: 'two' });
    await informer.stop();
  });

  it('keeps no copy of the data in the annotation client-side apply writes', async () => {
    server = await FakeApiServer.start();
    const applied = configMap('a', 'settings', { data: { password: 'hunter2' } });
    applied.metadata!.annotations = {
      'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied),
      team: 'shop',
    };
    server.put(applied);
    cache = new ClusterCache(server.connection(), { resources: [CONFIG_MAPS], watchSeconds: 30 });
    cache.keepDataOnlyWhere(() => false);
    cache.start();
    await cache.synced();
    const cached = cache.get('ConfigMap', 'a', 'settings');
    expect(cached?.metadata?.annotations).toEqual({ team: 'shop' });
    expect(JSON.stringify(cached)).not.toContain('hunter2');
  });

  it('lists Secrets and ConfigMaps only once the objects that name them are listed, and says so meanwhile', async () => {
    server = await FakeApiServer.start();
    // The fake server knows no ApiV4Definition: their informer never syncs.
    cache = new ClusterCache(server.connection(), {
      resources: [GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiV4Definition')!, CONFIG_MAPS],
      watchSeconds: 30,
      backoff: { baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    });
    cache.keepDataOnlyWhere(() => true);
    cache.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.count('list')).toBe(0);
    expect(cache.unsynced()).toContainEqual({
      resource: 'configmaps',
      namespace: undefined,
      error: 'not listed yet: listed once the other resources are',
    });
  });

  it('tells how long its longest-failing informer has been failing, 0 once all are healthy', async () => {
    server = await FakeApiServer.start();
    server.failLists(503, 12);
    cache = new ClusterCache(server.connection(), {
      namespaces: ['a', 'b'],
      resources: [CONFIG_MAPS],
      watchSeconds: 30,
      backoff: { baseDelayMs: 50, maxDelayMs: 50, jitter: 0 },
    });
    expect(cache.failingForMs()).toBe(0);
    cache.start();

    await vi.waitFor(() => expect(cache.failingForMs()).toBeGreaterThan(100));
    await cache.synced();
    await vi.waitFor(() => expect(cache.failingForMs()).toBe(0));
  });
});
