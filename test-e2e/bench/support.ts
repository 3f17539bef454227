// What the benchmarks share: the APIs they apply, bounded concurrency, waiting for Ready, and the
// resident memory and CPU time of a process.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, type KubeConnection } from '@gko/kube';
import { kubectlOk, type ControlPlaneInfo } from '../src/index.ts';

export const GV = 'gravitee.io/v1alpha1';
export const V4 = `/apis/${GV}`;

/** The endpoint groups of an API proxying to `target`. */
export const proxyTo = (target: string) => [
  {
    name: 'default',
    type: 'http-proxy',
    endpoints: [{ name: 'one', type: 'http-proxy', inheritConfiguration: false, configuration: { target } }],
  },
];

/** A gateway ConfigMap as a plain client writes it (labelled as the operator labels them). */
export const gatewayConfigMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { 'managed-by': 'gravitee.io', 'gio-type': 'apidefinitions.gravitee.io' } },
  data,
});

export function api(namespace: string, name: string, spec: Record<string, unknown>) {
  return {
    apiVersion: GV,
    kind: 'ApiV4Definition',
    metadata: { name, namespace },
    spec: {
      name,
      version: '1.0',
      type: 'PROXY',
      listeners: [{ type: 'HTTP', paths: [{ path: `/${name}` }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: proxyTo('http://backend'),
      plans: { free: { name: 'Free', security: { type: 'KEY_LESS' } } },
      ...spec,
    },
  };
}
export const localApi = (namespace: string, i: number) =>
  api(namespace, `local-${i}`, { definitionContext: { syncFrom: 'KUBERNETES' } });
// Names differ per scenario: APIs of one APIM environment must not share a context path.
export const apimApi = (namespace: string, i: number, prefix = 'remote') =>
  api(namespace, `${prefix}-${i}`, { contextRef: { name: 'apim' } });

/** The context `apim` of a namespace, pointed at the simulator (admin/admin unless `auth` says otherwise). */
export async function applyContext(
  info: ControlPlaneInfo,
  namespace: string,
  apimUrl: string,
  auth: Record<string, unknown> = { credentials: { username: 'admin', password: 'admin' } },
): Promise<void> {
  await kubectlOk(info, ['apply', '-n', namespace, '-f', '-'], {
    input: JSON.stringify({
      apiVersion: GV,
      kind: 'ManagementContext',
      metadata: { name: 'apim' },
      spec: {
        baseUrl: apimUrl,
        organizationId: 'DEFAULT',
        environmentId: 'DEFAULT',
        auth,
      },
    }),
  });
}

/** Runs the tasks with at most `limit` at once. */
export async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export const create = (kube: KubeConnection, path: string, body: unknown) =>
  apiRequest(kube, { method: 'POST', path, body, timeoutMs: 60_000 });

/** Creates the APIs; returns them as stored, by name. */
export async function createApis(
  kube: KubeConnection,
  namespace: string,
  objects: { metadata: { name: string } }[],
  concurrency: number,
): Promise<Map<string, Record<string, unknown>>> {
  const stored = new Map<string, Record<string, unknown>>();
  await pool(objects, concurrency, async (o) =>
    stored.set(
      o.metadata.name,
      (await create(kube, `${V4}/namespaces/${namespace}/apiv4definitions`, o)) as Record<string, unknown>,
    ),
  );
  return stored;
}

export interface ListedApi {
  metadata: { name: string; generation: number; resourceVersion: string; deletionTimestamp?: string };
  spec: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string; observedGeneration?: number }[] };
}

export const isReady = (o: ListedApi) =>
  !!o.status?.conditions?.some(
    (c) => c.type === 'Ready' && c.status === 'True' && c.observedGeneration === o.metadata.generation,
  );

/** The APIs of a namespace, read through an outage of the API server (of up to two minutes). */
export async function listApis(kube: KubeConnection, namespace: string): Promise<ListedApi[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      const list = await apiRequest<{ items: ListedApi[] }>(kube, {
        method: 'GET',
        path: `${V4}/namespaces/${namespace}/apiv4definitions`,
        timeoutMs: 60_000,
      });
      return list.items;
    } catch (error) {
      if (attempt >= 240) throw error;
      await sleep(500);
    }
  }
}

/** Waits until `count` APIs of the namespace are Ready at their generation; the milliseconds it took. */
export async function untilReady(
  kube: KubeConnection,
  namespace: string,
  count: number,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  for (;;) {
    const items = await listApis(kube, namespace);
    const ready = items.filter(isReady).length;
    if (ready >= count) return performance.now() - started;
    if (performance.now() - started > timeoutMs) {
      const stuck = items.find((o) => !isReady(o));
      throw new Error(`${ready}/${count} Ready after ${timeoutMs} ms, e.g. ${JSON.stringify(stuck?.status)}`);
    }
    await sleep(100);
  }
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 102.4) / 10;
}

export async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Secrets that no object refers to, each with some data, as a busy cluster holds. */
export async function createUnrelatedSecrets(
  kube: KubeConnection,
  namespace: string,
  count: number,
  concurrency: number,
): Promise<void> {
  await pool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    (i) =>
      create(kube, `/api/v1/namespaces/${namespace}/secrets`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `unrelated-${i}` },
        stringData: { 'tls.crt': 'x'.repeat(1024), token: `t-${i}` },
      }),
  );
}

/** The status a floor client writes: what a controller must write once per object, at the least. */
export const syncedStatus = () => ({
  observedGeneration: 1,
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason: 'Synced',
      message: '',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z/, 'Z'),
      observedGeneration: 1,
    },
  ],
});
