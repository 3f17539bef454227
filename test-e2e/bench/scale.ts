// The scale envelope: for each size N, a cluster of N local-mode v4 APIs, N/5 APIs with a context
// (the APIM simulator answering in 20 ms), N/10 applications, N/2 subscriptions and 2N unrelated
// Secrets and ConfigMaps, over N/100 namespaces (one for N = 100). Written to .bench/scale.json.
// Not timed tests: each figure is measured next to its floor or target, in the same run.
//   node test-e2e/bench/scale.ts [--sizes 100,1000,10000] [--concurrency 16] [--idle-seconds 60]
//   (BENCH_NODE_OPTIONS: the operator's Node options, by default RECOMMENDED_NODE_OPTIONS up to N =
//   1,000 and a 512 MiB old space beyond; BENCH_LOGS_LEVEL: its log level, error by default)
//
// Per size:
// - initial: every object created at once, until all Ready; the floor is a plain client doing the
//   writes nobody can avoid at the same concurrency (the objects, the gateways' ConfigMaps, one
//   status each, and the APIM writes through the same bounded client), on a fresh control plane.
// - restart: the operator stopped and started again: until ready (caches synced), then until every
//   object is confirmed in sync (each reconciled once, the queue empty); APIM and API-server writes.
// - failover: two replicas with leader election, the leader killed: until the other leads and has
//   confirmed every object; APIM and API-server writes.
// - changes: with everything synced, from a change to its arrival: one API's spec and a Secret one
//   API reads (to APIM), and an ApiResource used by N/10 APIs (to all their gateway ConfigMaps; the
//   floor is a plain client rewriting those ConfigMaps and one status each).
// - idle: two resync periods compressed into the run (RESYNC_PERIOD_SECONDS): API-server requests.
// - memory: resident memory of the controllers with everything synced, and of the webhook alone.
// - admission: p99 of a local API's admission at 200 requests a second, sent to the webhook alone,
//   with the cluster full against the same with it empty (before anything is created).
// API-server requests are counted by verb and resource from kube-apiserver's own metrics
// (apiserver_request_total), less what the harness itself sent.
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { apiRequest, CONFIG_MAPS, GRAVITEE_RESOURCES, loadKubeConnection, type KubeConnection } from '@gko/kube';
import {
  createApimClient,
  keyHrid,
  objectHrid,
  resolveTarget,
  toApiV4Spec,
  toApplicationSpec,
  toSubscriptionSpec,
  type ApimClient,
} from '@gko/mapi';
import type { ApiV4Definition, Application, Subscription } from '@gko/api';
import { RECOMMENDED_NODE_OPTIONS } from '@gko/operator';
import { latencySummary, openLoop } from '@gko/webhook/bench';
import { followUntil } from './follow.ts';
import { api, gatewayConfigMap, GV, isReady, pool, proxyTo, rssMiB, syncedStatus, type ListedApi } from './support.ts';
import {
  installCrds,
  kubectlOk,
  repoRoot,
  startControlPlane,
  startOperator,
  startWebhook,
  type ControlPlaneInfo,
  type RunningOperator,
} from '../src/index.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    concurrency: { type: 'string', default: '16' },
    'idle-seconds': { type: 'string', default: '60' },
    out: { type: 'string', default: join(repoRoot, '.bench', 'scale.json') },
  },
});
const CONCURRENCY = Number(values.concurrency);
const APIM_LATENCY_MS = 20;
/** The operator's default bound on calls in flight to one APIM (HTTP_CLIENT_MAX_CONCURRENCY). */
const APIM_BOUND = 8;
/** Admission: requests a second, and for how long (after 5 s of warm-up). */
const ADMISSION_RATE = 200;
const ADMISSION_SECONDS = 20;
/** The namespace where changes are measured: one API reading a Secret, N/10 APIs sharing an ApiResource. */
const CHANGES_NS = 'scale-changes';

interface Shape {
  namespaces: string[];
  /** Per namespace. */
  local: number;
  remote: number;
  applications: number;
  subscriptions: number;
  unrelated: number;
}

function shapeOf(size: number): Shape {
  const count = Math.max(1, Math.round(size / 100));
  const per = size / count;
  return {
    namespaces: Array.from({ length: count }, (_, i) => `scale-${i}`),
    local: per,
    remote: Math.round(per / 5),
    applications: Math.round(per / 10),
    subscriptions: Math.round(per / 2),
    unrelated: per,
  };
}

const objectsOf = (shape: Shape) =>
  shape.namespaces.length * (shape.local + shape.remote + shape.applications + shape.subscriptions + 1);

// What one namespace holds: APIs named by index (on paths of their namespace: the namespaces share
// one APIM environment), applications subscribing to the APIs with a context.
const listeners = (ns: string, name: string) => [
  { type: 'HTTP', paths: [{ path: `/${ns}/${name}` }], entrypoints: [{ type: 'http-proxy' }] },
];
const localApi = (ns: string, i: number) =>
  api(ns, `local-${i}`, {
    listeners: listeners(ns, `local-${i}`),
    definitionContext: { syncFrom: 'KUBERNETES' },
  }) as unknown as ApiV4Definition;
const remoteApi = (ns: string, i: number) =>
  api(ns, `remote-${i}`, {
    listeners: listeners(ns, `remote-${i}`),
    contextRef: { name: 'apim' },
    plans: { keys: { name: 'Keys', security: { type: 'API_KEY' } } },
  }) as unknown as ApiV4Definition;
const application = (ns: string, i: number): Application =>
  ({
    apiVersion: GV,
    kind: 'Application',
    metadata: { name: `app-${i}`, namespace: ns },
    spec: { contextRef: { name: 'apim' }, name: `app-${i}`, description: 'd', settings: { app: { type: 'web' } } },
  }) as unknown as Application;
/** Subscription k: API k mod A, application ⌊k / A⌋ mod P: each pair once while k < A·P. */
const subscription = (ns: string, k: number, shape: Shape): Subscription =>
  ({
    apiVersion: GV,
    kind: 'Subscription',
    metadata: { name: `sub-${k}`, namespace: ns },
    spec: {
      api: { name: `remote-${k % shape.remote}` },
      application: { name: `app-${Math.floor(k / shape.remote) % shape.applications}` },
      plan: 'keys',
    },
  }) as unknown as Subscription;
const context = (ns: string, url: string) => ({
  apiVersion: GV,
  kind: 'ManagementContext',
  metadata: { name: 'apim', namespace: ns },
  spec: {
    baseUrl: url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    auth: { credentials: { username: 'admin', password: 'admin' } },
  },
});

const plural: Record<string, string> = {
  ApiV4Definition: 'apiv4definitions',
  Application: 'applications',
  Subscription: 'subscriptions',
  ManagementContext: 'managementcontexts',
};

/** Requests the harness itself sends, by `VERB resource`, to take them out of kube-apiserver's counts. */
class Sent {
  readonly counts = new Map<string, number>();
  add(key: string, n = 1) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
}

async function post(kube: KubeConnection, sent: Sent, path: string, resource: string, body: unknown) {
  sent.add(`POST ${resource}`);
  return apiRequest<Record<string, unknown>>(kube, { method: 'POST', path, body, timeoutMs: 120_000 });
}

async function prepare(kube: KubeConnection, shape: Shape, url: string, sent: Sent): Promise<void> {
  await pool(shape.namespaces, 4, async (ns) => {
    await post(kube, sent, '/api/v1/namespaces', 'namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    });
    await post(kube, sent, `/apis/${GV}/namespaces/${ns}/managementcontexts`, 'managementcontexts', context(ns, url));
  });
  const unrelated = shape.namespaces.flatMap((ns) =>
    Array.from({ length: shape.unrelated }, (_, i) => [ns, i] as const),
  );
  await pool(unrelated, CONCURRENCY, async ([ns, i]) => {
    await post(kube, sent, `/api/v1/namespaces/${ns}/secrets`, 'secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `unrelated-${i}` },
      stringData: { 'tls.crt': 'x'.repeat(1024), token: `t-${i}` },
    });
    await post(kube, sent, `/api/v1/namespaces/${ns}/configmaps`, 'configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `unrelated-${i}` },
      data: { 'settings.json': 'y'.repeat(1024) },
    });
  });
}

/** Everything of the shape, in the order a GitOps tool applies it: APIs and applications, then subscriptions. */
function workOf(shape: Shape) {
  const first = shape.namespaces.flatMap((ns) => [
    ...Array.from(
      { length: shape.local },
      (_, i) => localApi(ns, i) as { kind: string; metadata: { namespace: string } },
    ),
    ...Array.from(
      { length: shape.remote },
      (_, i) => remoteApi(ns, i) as { kind: string; metadata: { namespace: string } },
    ),
    ...Array.from(
      { length: shape.applications },
      (_, i) => application(ns, i) as { kind: string; metadata: { namespace: string } },
    ),
  ]);
  const then = shape.namespaces.flatMap((ns) =>
    Array.from(
      { length: shape.subscriptions },
      (_, k) => subscription(ns, k, shape) as { kind: string; metadata: { namespace: string } },
    ),
  );
  return { first, then };
}

const pathOf = (o: { kind: string; metadata: { namespace: string } }) =>
  `/apis/${GV}/namespaces/${o.metadata.namespace}/${plural[o.kind]}`;

/** The floor: the writes any operator has to make, by a plain client, at the same concurrency. */
async function floorWrites(kube: KubeConnection, shape: Shape, simulator: Simulator, sent: Sent): Promise<number> {
  const clients = new Map<string, ApimClient>();
  const apimOf = (ns: string) => {
    let client = clients.get(ns);
    if (!client) {
      const target = resolveTarget(context(ns, simulator.url), () => undefined);
      clients.set(ns, (client = createApimClient(target, { maxConcurrency: APIM_BOUND })));
    }
    return client;
  };
  const refs = { resource: () => undefined, sharedPolicyGroup: () => undefined, groupNames: [] };
  const { first, then } = workOf(shape);
  const status = async (o: { kind: string; metadata: { namespace: string } }, stored: Record<string, unknown>) => {
    const name = (stored['metadata'] as { name: string }).name;
    sent.add(`PUT ${plural[o.kind]}/status`);
    await apiRequest(kube, {
      method: 'PUT',
      path: `${pathOf(o)}/${name}/status`,
      timeoutMs: 120_000,
      body: {
        ...stored,
        status: syncedStatus(),
      },
    });
  };
  const started = performance.now();
  const write = async (o: { kind: string; metadata: { namespace: string; name?: string } }) => {
    const stored = await post(kube, sent, pathOf(o), plural[o.kind]!, o);
    const ns = o.metadata.namespace;
    if (o.kind === 'ApiV4Definition' && (o as unknown as ApiV4Definition).spec.contextRef)
      await apimOf(ns).apis.put(toApiV4Spec(o as unknown as ApiV4Definition, refs));
    else if (o.kind === 'ApiV4Definition')
      await post(
        kube,
        sent,
        `/api/v1/namespaces/${ns}/configmaps`,
        'configmaps',
        gatewayConfigMap(o.metadata.name ?? '', {
          definition: JSON.stringify((o as unknown as ApiV4Definition).spec),
          apiDefinitionVersion: '4.0.0',
        }),
      );
    else if (o.kind === 'Application')
      await apimOf(ns).applications.put(toApplicationSpec(o as unknown as Application));
    else if (o.kind === 'Subscription') {
      const sub = o as unknown as Subscription;
      const apiHrid = objectHrid({ namespace: ns, name: sub.spec.api.name });
      await apimOf(ns)
        .subscriptions(apiHrid)
        .put(
          toSubscriptionSpec(sub, {
            applicationHrid: objectHrid({ namespace: ns, name: sub.spec.application.name }),
            planHrid: keyHrid(sub.spec.plan),
          }),
        );
    }
    await status(o, stored);
  };
  await pool(first, CONCURRENCY, write);
  await pool(then, CONCURRENCY, write);
  const ms = performance.now() - started;
  await Promise.all([...clients.values()].map((c) => c.close()));
  return ms;
}

/** `VERB resource[/subresource]` → count, from kube-apiserver's metrics (resource requests only). */
async function apiServerRequests(info: ControlPlaneInfo): Promise<Map<string, number>> {
  const text = await kubectlOk(info, ['get', '--raw', '/metrics']);
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (!labels['resource']) continue;
    const key = `${labels['verb']} ${labels['resource']}${labels['subresource'] ? `/${labels['subresource']}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

/**
 * The resources the operator reads or writes (without leader election, as here). Requests for others
 * are kube-apiserver's own upkeep (its identity Lease, the kubernetes Service's endpoints, its own
 * informers' watches) or the harness's set-up of the operator's user (RBAC).
 */
const THE_OPERATORS = new Set([
  ...Object.values(plural),
  ...GRAVITEE_RESOURCES.map((r) => r.plural),
  'secrets',
  'configmaps',
  'events',
]);

/** What the operator asked of the API server between two readings, without what the harness sent. */
function requestsBetween(before: Map<string, number>, after: Map<string, number>, sent = new Sent()) {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!THE_OPERATORS.has(key.split(' ')[1]!.split('/')[0]!)) continue;
    const n = value - (before.get(key) ?? 0) - (sent.counts.get(key) ?? 0);
    if (n > 0) out[key] = n;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

const WRITE_VERBS = ['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'];
const writesIn = (requests: Record<string, number>) =>
  Object.entries(requests)
    .filter(([key]) => WRITE_VERBS.includes(key.split(' ')[0]!))
    .reduce((sum, [, n]) => sum + n, 0);

/** Until every object of ours is Ready, followed by watches (see follow.ts). */
async function untilAllReady(
  kube: KubeConnection,
  shape: Shape,
  sent: Sent,
  operator: RunningOperator,
  timeoutMs: number,
): Promise<void> {
  const wanted = objectsOf(shape);
  let ready = 0;
  await followUntil(
    kube,
    Object.values(plural).map((p) => GRAVITEE_RESOURCES.find((r) => r.plural === p)!),
    undefined,
    (objectsOf) => {
      ready = Object.keys(plural).reduce(
        (n, kind) => n + objectsOf(kind).filter((o) => isReady(o as ListedApi)).length,
        0,
      );
      return ready >= wanted;
    },
    {
      timeoutMs,
      sent,
      // An operator that died (out of memory, say) would leave the harness waiting for nothing.
      guard: async () => {
        if (!operator.process.isRunning())
          throw new Error(
            `the operator exited (${String(await operator.process.exited)}): see ${operator.process.logFile}`,
          );
      },
      describe: () => `${ready}/${wanted} Ready`,
    },
  );
}

/** Until every object was reconciled once by this operator and its queue is empty. */
async function untilConfirmed(operator: RunningOperator, objects: number, timeoutMs: number): Promise<void> {
  const started = performance.now();
  for (;;) {
    const reconciles = await operator.metric('gko_controller_reconciles_total');
    const depth = await operator.metric('gko_controller_workqueue_depth');
    if (reconciles >= objects && depth === 0) return;
    if (performance.now() - started > timeoutMs)
      throw new Error(`${reconciles}/${objects} reconciles, queue ${depth}, after ${timeoutMs} ms`);
    await sleep(100);
  }
}

const seconds = (ms: number) => Math.round(ms) / 1000;

/** The default old space (128 MiB) is sized for the chart's default limit; 18,100 objects need more. */
const nodeOptionsFor = (size: number) =>
  process.env['BENCH_NODE_OPTIONS'] ??
  (size <= 1000 ? RECOMMENDED_NODE_OPTIONS : '--max-semi-space-size=4 --max-old-space-size=512');

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * Admission latency of a new local API at ADMISSION_RATE requests a second, sent straight to the
 * webhook program (alone, over TLS, as the API server calls it) with the cluster as it is; and the
 * webhook's resident memory before the load.
 */
async function admissionLatency(info: ControlPlaneInfo, namespace: string) {
  const webhook = await startWebhook(info, {
    form: 'javascript',
    env: { NODE_OPTIONS: RECOMMENDED_NODE_OPTIONS, LOGS_LEVEL: 'warn' },
  });
  // Its certificate is the harness's own; the name it is reached by is 127.0.0.1.
  const agent = new Agent({ keepAlive: true, maxSockets: 16, rejectUnauthorized: false });
  try {
    await sleep(5_000);
    const rss = await rssMiB(webhook.process.pid);
    const body = JSON.stringify({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid: 'scale',
        kind: { group: 'gravitee.io', version: 'v1alpha1', kind: 'ApiV4Definition' },
        resource: { group: 'gravitee.io', version: 'v1alpha1', resource: 'apiv4definitions' },
        operation: 'CREATE',
        name: 'admission-probe',
        namespace,
        object: api(namespace, 'admission-probe', {
          listeners: listeners(namespace, 'admission-probe'),
          definitionContext: { syncFrom: 'KUBERNETES' },
        }),
        userInfo: { username: 'scale' },
        dryRun: false,
      },
    });
    const send = () =>
      new Promise<boolean>((resolve, reject) => {
        const request = httpsRequest(
          `https://127.0.0.1:${webhook.port}/validate-gravitee-io-v1alpha1-apiv4definition`,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' }, timeout: 10_000 },
          (response) => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (text += chunk));
            response.on('end', () => {
              try {
                const answer = JSON.parse(text) as { response?: { allowed?: boolean } };
                resolve(response.statusCode === 200 && answer.response?.allowed === true);
              } catch {
                resolve(false);
              }
            });
          },
        );
        request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
        request.on('error', reject);
        request.end(body);
      });
    await openLoop(ADMISSION_RATE, 5, send);
    const result = await openLoop(ADMISSION_RATE, ADMISSION_SECONDS, send);
    return {
      webhookRssMiB: rss,
      admission: {
        ratePerSecond: Math.round((result.sent / result.elapsed) * 10) / 10,
        requests: result.sent,
        errors: result.errors,
        latencyMs: latencySummary(result.latencies),
      },
    };
  } finally {
    agent.destroy();
    await webhook.stop();
  }
}

const fanout = (shape: Shape) => Math.max(10, (shape.namespaces.length * shape.local) / 10);
const sharedResource = (ttl: number) => ({
  apiVersion: GV,
  kind: 'ApiResource',
  metadata: { name: 'shared', namespace: CHANGES_NS },
  spec: { name: 'cache', type: 'cache', configuration: { timeToLiveSeconds: ttl } },
});
const sharingApi = (i: number) =>
  api(CHANGES_NS, `user-${i}`, {
    listeners: listeners(CHANGES_NS, `user-${i}`),
    definitionContext: { syncFrom: 'KUBERNETES' },
    resources: [{ ref: { name: 'shared' } }],
  });
const hasTtl = (configMap: { data?: Record<string, string> }, ttl: number) =>
  configMap.data?.['definition']?.includes(`"timeToLiveSeconds":${ttl}`) ?? false;

/**
 * The floor of a fan-out: the writes of a change reaching the gateway ConfigMaps of `fanout` APIs
 * (each ConfigMap, one status), by a plain client at the same concurrency. The objects are made
 * first, unmeasured.
 */
async function fanoutFloorMs(kube: KubeConnection, shape: Shape, sent: Sent): Promise<number> {
  await post(kube, sent, '/api/v1/namespaces', 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: CHANGES_NS },
  });
  const apis = Array.from({ length: fanout(shape) }, (_, i) => sharingApi(i));
  const definition = (o: (typeof apis)[number], ttl: number) =>
    JSON.stringify({ ...o.spec, resources: [sharedResource(ttl).spec] });
  await pool(apis, CONCURRENCY, async (o) => {
    await post(kube, sent, pathOf(o), 'apiv4definitions', o);
    await post(
      kube,
      sent,
      `/api/v1/namespaces/${CHANGES_NS}/configmaps`,
      'configmaps',
      gatewayConfigMap(o.metadata.name, { definition: definition(o, 60) }),
    );
  });
  const started = performance.now();
  await pool(apis, CONCURRENCY, async (o) => {
    await apiRequest(kube, {
      method: 'PATCH',
      path: `/api/v1/namespaces/${CHANGES_NS}/configmaps/${o.metadata.name}`,
      contentType: 'application/merge-patch+json',
      body: { data: { definition: definition(o, 120) } },
    });
    await apiRequest(kube, {
      method: 'PATCH',
      path: `${pathOf(o)}/${o.metadata.name}/status`,
      contentType: 'application/merge-patch+json',
      body: { status: { syncHash: 'changed' } },
    });
  });
  return performance.now() - started;
}

/**
 * From a change to its arrival, the operator running with everything synced: the spec of one API
 * (to APIM), a Secret one API reads (to APIM), and an ApiResource used by `fanout` APIs (to every
 * gateway ConfigMap).
 */
async function changeLatency(kube: KubeConnection, shape: Shape, simulator: Simulator, sent: Sent) {
  const ns0 = shape.namespaces[0]!;
  const hrid = (namespace: string, name: string) => objectHrid({ namespace, name });
  const sentToApim = (apiHrid: string, text: string) =>
    simulator
      .requests()
      .some(
        (r) =>
          r.method === 'PUT' &&
          (r.body as { hrid?: string } | undefined)?.hrid === apiHrid &&
          JSON.stringify(r.body).includes(text),
      );

  simulator.clearRequests();
  let started = performance.now();
  sent.add('PATCH apiv4definitions');
  await apiRequest(kube, {
    method: 'PATCH',
    path: `/apis/${GV}/namespaces/${ns0}/apiv4definitions/remote-0`,
    contentType: 'application/merge-patch+json',
    body: { spec: { description: 'changed at scale' } },
  });
  await until('the spec change in APIM', () => sentToApim(hrid(ns0, 'remote-0'), 'changed at scale'), 60_000);
  const objectMs = performance.now() - started;

  // The namespace of the other changes, its objects made and synchronised first (unmeasured).
  await post(kube, sent, '/api/v1/namespaces', 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: CHANGES_NS },
  });
  await post(
    kube,
    sent,
    `/apis/${GV}/namespaces/${CHANGES_NS}/managementcontexts`,
    'managementcontexts',
    context(CHANGES_NS, simulator.url),
  );
  await post(kube, sent, `/api/v1/namespaces/${CHANGES_NS}/secrets`, 'secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'backend' },
    stringData: { url: 'http://backend-one' },
  });
  await post(kube, sent, `/apis/${GV}/namespaces/${CHANGES_NS}/apiresources`, 'apiresources', sharedResource(60));
  const templated = api(CHANGES_NS, 'templated', {
    listeners: listeners(CHANGES_NS, 'templated'),
    contextRef: { name: 'apim' },
    endpointGroups: proxyTo('[[ secret `backend/url` ]]'),
  });
  const users = Array.from({ length: fanout(shape) }, (_, i) => sharingApi(i));
  await pool([templated, ...users], CONCURRENCY, (o) => post(kube, sent, pathOf(o), 'apiv4definitions', o));
  await followUntil(
    kube,
    [GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiV4Definition')!],
    CHANGES_NS,
    (objectsOf) => objectsOf('ApiV4Definition').filter((o) => isReady(o as ListedApi)).length === users.length + 1,
    { timeoutMs: 600_000, sent },
  );

  simulator.clearRequests();
  started = performance.now();
  sent.add('PATCH secrets');
  await apiRequest(kube, {
    method: 'PATCH',
    path: `/api/v1/namespaces/${CHANGES_NS}/secrets/backend`,
    contentType: 'application/merge-patch+json',
    body: { stringData: { url: 'http://backend-two' } },
  });
  await until('the Secret change in APIM', () => sentToApim(hrid(CHANGES_NS, 'templated'), 'backend-two'), 60_000);
  const secretMs = performance.now() - started;

  started = performance.now();
  sent.add('PATCH apiresources');
  await apiRequest(kube, {
    method: 'PATCH',
    path: `/apis/${GV}/namespaces/${CHANGES_NS}/apiresources/shared`,
    contentType: 'application/merge-patch+json',
    body: { spec: { configuration: { timeToLiveSeconds: 120 } } },
  });
  await followUntil(
    kube,
    [CONFIG_MAPS],
    CHANGES_NS,
    (objectsOf) =>
      objectsOf('ConfigMap').filter((c) => hasTtl(c as { data?: Record<string, string> }, 120)).length === users.length,
    { timeoutMs: 600_000, sent },
  );
  const fanoutMs = performance.now() - started;
  return { objectMs, secretMs, fanoutMs, fanoutApis: users.length };
}

async function measure(size: number): Promise<Record<string, unknown>> {
  const shape = shapeOf(size);
  const objects = objectsOf(shape);
  const { first, then } = workOf(shape);
  console.log(`size ${size}: ${objects} objects of ours in ${shape.namespaces.length} namespaces`);
  const withSimulator = async <T>(
    run: (info: ControlPlaneInfo, kube: KubeConnection, simulator: Simulator) => Promise<T>,
  ) => {
    const plane = await startControlPlane();
    const kube = await loadKubeConnection(plane.info.kubeconfig);
    const simulator = await startSimulator();
    try {
      await installCrds(plane.info);
      return await run(plane.info, kube, simulator);
    } finally {
      await simulator.stop();
      await kube.close();
      await plane.stop();
    }
  };

  const floor = await withSimulator(async (info, kube, simulator) => {
    const empty = await admissionLatency(info, shape.namespaces[0]!);
    console.log(`size ${size}: admission p99 ${empty.admission.latencyMs.p99} ms with the cluster empty`);
    await prepare(kube, shape, simulator.url, new Sent());
    simulator.setFaults({ latencyMs: APIM_LATENCY_MS });
    const initialMs = await floorWrites(kube, shape, simulator, new Sent());
    return { initialMs, fanoutMs: await fanoutFloorMs(kube, shape, new Sent()), admission: empty.admission };
  });
  const floorMs = floor.initialMs;
  console.log(`size ${size}: floor ${seconds(floorMs)} s`);

  return withSimulator(async (info, kube, simulator) => {
    await prepare(kube, shape, simulator.url, new Sent());
    const sent = new Sent();
    const env = {
      // Warnings of objects waiting for their references would be most of the output at scale.
      LOGS_LEVEL: process.env['BENCH_LOGS_LEVEL'] ?? 'error',
      NODE_OPTIONS: nodeOptionsFor(size),
      MAX_CONCURRENT_RECONCILES: String(CONCURRENCY),
      HTTP_CLIENT_MAX_CONCURRENCY: String(APIM_BOUND),
      DRIFT_REPAIR_PERIOD_SECONDS: '0',
      RESYNC_PERIOD_SECONDS: String(Math.max(10, Number(values['idle-seconds']) / 2)),
    };
    let operator = await startOperator(info, { form: 'javascript', env });
    try {
      simulator.setFaults({ latencyMs: APIM_LATENCY_MS });
      // Initial synchronisation.
      let before = await apiServerRequests(info);
      const started = performance.now();
      await pool(first, CONCURRENCY, (o) => post(kube, sent, pathOf(o), plural[o.kind]!, o));
      await pool(then, CONCURRENCY, (o) => post(kube, sent, pathOf(o), plural[o.kind]!, o));
      await untilAllReady(kube, shape, sent, operator, 3_600_000);
      const initialMs = performance.now() - started;
      const initialRequests = requestsBetween(before, await apiServerRequests(info), sent);
      const controllersRss = await rssMiB(operator.process.pid);
      console.log(`size ${size}: all Ready in ${seconds(initialMs)} s`);
      // How the reconciles of the sync ended, by kind: beyond one success each, the retries.
      const reconciles: Record<string, Record<string, number>> = {};
      for (const kind of Object.keys(plural))
        for (const result of ['success', 'requeue', 'error', 'terminal_error']) {
          const n = await operator.metric('gko_controller_reconciles_total', { kind, result });
          if (n > 0) (reconciles[kind] ??= {})[result] = n;
        }

      // Changes, everything synced.
      const changes = await changeLatency(kube, shape, simulator, sent);
      console.log(
        `size ${size}: one spec ${seconds(changes.objectMs)} s, one Secret ${seconds(changes.secretMs)} s, ` +
          `an ApiResource used by ${changes.fanoutApis} APIs ${seconds(changes.fanoutMs)} s (floor ${seconds(floor.fanoutMs)} s)`,
      );
      // The objects of the changes' namespace: its context, ApiResource and APIs.
      const confirmed = objects + changes.fanoutApis + 3;

      // Restart.
      await operator.stop();
      simulator.clearRequests();
      before = await apiServerRequests(info);
      const restarted = performance.now();
      operator = await startOperator(info, { form: 'javascript', env });
      const readyMs = performance.now() - restarted;
      await untilConfirmed(operator, confirmed, 600_000);
      const confirmedMs = performance.now() - restarted;
      await sleep(2_000);
      const restartRequests = requestsBetween(before, await apiServerRequests(info));
      const apimWrites = simulator.requests().filter((r) => r.method !== 'GET').length;
      console.log(`size ${size}: restarted, confirmed in ${seconds(confirmedMs)} s`);

      // Failover: two replicas with leader election, the second warm (caches synced, following),
      // the leader killed. From the kill: the follower leads (after the lease expires), then has
      // confirmed every object.
      await operator.stop();
      const electing = { ...env, ENABLE_LEADER_ELECTION: 'true' };
      const leader = await startOperator(info, { form: 'javascript', env: electing });
      await untilConfirmed(leader, confirmed, 600_000);
      operator = await startOperator(info, { form: 'javascript', env: electing });
      await sleep(2_000);
      simulator.clearRequests();
      before = await apiServerRequests(info);
      const killed = performance.now();
      await leader.stop('SIGKILL');
      while ((await operator.metric('gko_controller_leader')) !== 1) {
        if (performance.now() - killed > 120_000) throw new Error('no new leader within 120 s');
        await sleep(100);
      }
      const leadingMs = performance.now() - killed;
      await untilConfirmed(operator, confirmed, 600_000);
      const failoverMs = performance.now() - killed;
      const failoverRequests = requestsBetween(before, await apiServerRequests(info));
      const failoverApimWrites = simulator.requests().filter((r) => r.method !== 'GET').length;
      console.log(`size ${size}: failover, confirmed in ${seconds(failoverMs)} s after the kill`);

      // Idle: two resync periods.
      before = await apiServerRequests(info);
      simulator.clearRequests();
      await sleep(Number(values['idle-seconds']) * 1000);
      const idleRequests = requestsBetween(before, await apiServerRequests(info));
      const idleApim = simulator.requests().length;
      const settledRss = await rssMiB(operator.process.pid);
      // What the heap holds, live objects and garbage not collected yet (V8 collects lazily below its cap).
      const heapUsedMiB = Math.round((await operator.metric('gko_nodejs_heap_size_used_bytes')) / 104_857.6) / 10;
      await operator.stop();

      // The webhook alone, everything in the cluster.
      const full = await admissionLatency(info, shape.namespaces[0]!);
      console.log(`size ${size}: admission p99 ${full.admission.latencyMs.p99} ms with the cluster full`);

      return {
        size,
        objects,
        namespaces: shape.namespaces.length,
        unrelatedSecretsAndConfigMaps: 2 * shape.unrelated * shape.namespaces.length,
        initial: {
          floorSeconds: seconds(floorMs),
          operatorSeconds: seconds(initialMs),
          ratio: Math.round((initialMs / floorMs) * 100) / 100,
          target: 1.5,
          apiServerRequests: initialRequests,
          reconciles,
        },
        changes: {
          oneSpecToApimSeconds: seconds(changes.objectMs),
          oneSecretToApimSeconds: seconds(changes.secretMs),
          target: 2,
          fanout: {
            apis: changes.fanoutApis,
            operatorSeconds: seconds(changes.fanoutMs),
            floorSeconds: seconds(floor.fanoutMs),
            ratio: Math.round((changes.fanoutMs / floor.fanoutMs) * 100) / 100,
            target: 1.5,
          },
        },
        admission: {
          ratePerSecond: ADMISSION_RATE,
          empty: floor.admission,
          full: full.admission,
          p99Ratio: Math.round((full.admission.latencyMs.p99 / floor.admission.latencyMs.p99) * 100) / 100,
          target: 1.2,
        },
        restart: {
          readySeconds: seconds(readyMs),
          confirmedSeconds: seconds(confirmedMs),
          target: 30,
          apimWrites,
          apiServerWrites: writesIn(restartRequests),
          apiServerRequests: restartRequests,
        },
        failover: {
          leaseDurationSeconds: 15,
          leadingSecondsAfterKill: seconds(leadingMs),
          confirmedSecondsAfterKill: seconds(failoverMs),
          apimWrites: failoverApimWrites,
          apiServerWrites: writesIn(failoverRequests),
          apiServerRequests: failoverRequests,
        },
        idle: {
          seconds: Number(values['idle-seconds']),
          resyncPeriodSeconds: Number(env.RESYNC_PERIOD_SECONDS),
          apimCalls: idleApim,
          apiServerRequests: idleRequests,
        },
        memory: {
          controllersRssMiBAfterSync: controllersRss,
          controllersRssMiBSettled: settledRss,
          controllersHeapUsedMiBSettled: heapUsedMiB,
          controllersTarget: 300,
          webhookRssMiB: full.webhookRssMiB,
          webhookTarget: 150,
        },
      };
    } finally {
      await operator.stop().catch(() => undefined);
    }
  });
}

const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  settings: {
    concurrency: CONCURRENCY,
    apimLatencyMs: APIM_LATENCY_MS,
    apimBound: APIM_BOUND,
    nodeOptions: Object.fromEntries(values.sizes.split(',').map((n) => [n, nodeOptionsFor(Number(n))])),
  },
  sizes: [] as unknown[],
};
for (const size of values.sizes.split(',').map(Number)) (results['sizes'] as unknown[]).push(await measure(size));

await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written to ${values.out}`);
