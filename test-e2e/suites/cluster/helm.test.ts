// The chart, installed with Helm into a cluster whose node runs the operator's image in real pods.
// Two installations side by side: one with cert-manager watching a list of namespaces, one managing
// its own certificate and watching only its namespace. Each is checked as a user would: pods Ready,
// certificates issued and injected, a bad manifest denied by the webhook pod behind its Service, an
// API synchronised by the controller pod against the APIM simulator, certificate renewals during
// applies, an upgrade, a controller pod replaced, and an uninstall that leaves nothing behind.
// With one node and host networking, each workload runs one replica (the chart's default is two).
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { buildImage } from '../../../packages/operator/scripts/build-image.ts';
import { startCertManager, type RunningCertManager } from '../../src/cert-manager.ts';
import { helm } from '../../src/helm.ts';
import { caBundles, decodedSecret, servedCertificate } from '../../src/webhook-certificates.ts';
import { freePorts } from '../../src/ports.ts';
import {
  apply,
  createNamespace,
  kubectl,
  kubectlOk,
  repoRoot,
  routeService,
  startCluster,
  type Cluster,
  type ClusterInfo,
  patchStatus,
} from '../../src/index.ts';
import { api, context } from '../webhook/fixtures.ts';

const CHART = join(repoRoot, 'charts', 'gko');
const chartFile = (name: string) => JSON.parse(readFileSync(join(CHART, 'files', name), 'utf8')) as unknown[];
const WEBHOOK_COUNT = chartFile('validating-webhooks.json').length + chartFile('mutating-webhooks.json').length;

interface Install {
  namespace: string;
  /** Where the objects it watches live. */
  apps: string;
  ports: { webhook: number; controllerMetrics: number; controllerProbes: number; metrics: number; probes: number };
  valuesFile: string;
  /** Its API (each installation's has its own context path: both go to the same APIM). */
  api(spec?: Record<string, unknown>): ReturnType<typeof api>;
}

let cluster: Cluster;
let info: ClusterInfo;
let certManager: RunningCertManager;
let simulator: Simulator;
let workDir = '';
let imageTag = '';
const installs: Record<'certManager' | 'selfManaged', Install> = {} as never;

async function values(install: Pick<Install, 'namespace' | 'ports'>, extra: Record<string, unknown>): Promise<string> {
  const file = join(workDir, `${install.namespace}-values.json`);
  const base = {
    manager: {
      image: { repository: 'gko-operator', tag: imageTag, pullPolicy: 'Never' },
      replicas: 1,
      hostNetwork: true,
      listenAddress: '127.0.0.1',
      updateStrategy: { type: 'Recreate' },
      terminationGracePeriodSeconds: 10,
      metrics: { port: install.ports.controllerMetrics },
      probes: { port: install.ports.controllerProbes },
      logs: { level: 'info' },
      webhook: {
        replicas: 1,
        updateStrategy: { type: 'Recreate' },
        service: { targetPort: install.ports.webhook },
        metricsPort: install.ports.metrics,
        probesPort: install.ports.probes,
        shutdownDrainSeconds: 1,
      },
    },
  };
  await writeFile(file, JSON.stringify(merge(base, extra)));
  return file;
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object'
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

async function helmOk(args: string[]): Promise<string> {
  const result = await helm(args, { kubeconfig: info.kubeconfig, timeoutMs: 240_000 });
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

async function podsOf(
  namespace: string,
  component: string,
): Promise<{ name: string; uid: string; startedAt?: string }[]> {
  const list = JSON.parse(
    await kubectlOk(info, [
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `app.kubernetes.io/component=${component}`,
      '-o',
      'json',
    ]),
  ) as {
    items: {
      metadata: { name: string; uid: string; deletionTimestamp?: string };
      status: { containerStatuses?: { state?: { running?: { startedAt: string } } }[] };
    }[];
  };
  return list.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      startedAt: p.status.containerStatuses?.[0]?.state?.running?.startedAt,
    }));
}

/** `helm install` as a user runs it, then every pod of the release namespace Ready. */
async function installChart(install: Install): Promise<void> {
  await helmOk([
    'install',
    'gko',
    CHART,
    '-n',
    install.namespace,
    '--create-namespace',
    '-f',
    install.valuesFile,
    '--wait',
    '--timeout',
    '180s',
  ]);
  await waitPodsReady(install.namespace);
}

async function waitPodsReady(namespace: string): Promise<void> {
  await kubectlOk(info, ['wait', '--for=condition=Ready', 'pod', '--all', '-n', namespace, '--timeout=120s']);
}

/** The certificate the webhook pod serves right now, as the API server sees it. */
const served = (install: Install) => servedCertificate(install.ports.webhook, `gko-webhook.${install.namespace}.svc`);
const secretData = async (namespace: string, name: string) => (await decodedSecret(info, namespace, name)).data;
const bundlesOf = (install: Install) =>
  caBundles(info, { validating: `${install.namespace}-gko-validating`, mutating: `${install.namespace}-gko-mutating` });

async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(500)) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
  }
}

/** Applies (server dry run, through both webhooks) until `done` says so; returns the failures seen. */
async function appliesUntil(install: Install, done: () => Promise<boolean>, timeoutMs: number) {
  const namespace = install.apps;
  const failures: string[] = [];
  let applies = 0;
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; applies++) {
    const result = await apply(info, namespace, install.api({ description: `apply ${applies}` }), { dryRun: true });
    if (result.code !== 0) failures.push(result.stderr);
    if (await done()) return { failures, applies, done: true };
    await sleep(100);
  }
  return { failures, applies, done: false };
}

async function installPorts(): Promise<Install['ports']> {
  const [webhook, controllerMetrics, controllerProbes, metrics, probes] = (await freePorts(5)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { webhook, controllerMetrics, controllerProbes, metrics, probes };
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'gko-helm-'));
  const image = await buildImage(join(workDir, 'image'));
  imageTag = image.reference.split(':')[1]!;
  cluster = await startCluster({ images: [image.dockerArchive] });
  info = cluster.info;
  certManager = await startCertManager(info);
  simulator = await startSimulator();
}, 300_000);

afterAll(async () => {
  await simulator?.stop();
  await certManager?.stop();
  await cluster?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
}, 120_000);

describe('helm install with cert-manager, watching a list of namespaces', () => {
  it('gets both pods Ready, the certificate issued and its CA injected into both configurations', async () => {
    const apps = await createNamespace(info, 'apps', {});
    const partial = { namespace: 'gko-system', apps, ports: await installPorts() };
    const install: Install = {
      ...partial,
      valuesFile: await values(partial, {
        manager: { scope: { namespaces: [apps] }, webhook: { cert: { certManager: { enabled: true } } } },
      }),
      api: (spec = {}) => api('orders', spec),
    };
    installs.certManager = install;
    await installChart(install);
    expect(await podsOf(install.namespace, 'controller')).toHaveLength(1);
    expect(await podsOf(install.namespace, 'webhook')).toHaveLength(1);
    await kubectlOk(info, [
      'wait',
      '--for=condition=Ready',
      'certificate/gko-webhook-serving',
      '-n',
      install.namespace,
      '--timeout=60s',
    ]);
    const secret = await secretData(install.namespace, 'gko-webhook-cert');
    const bundles = await waitUntil('caBundle injected', async () => {
      const found = await bundlesOf(install);
      return found.every((b) => b === secret['ca.crt']) ? found : undefined;
    });
    // One per webhook of both configurations, as the chart generates them.
    expect(bundles.length).toBe(WEBHOOK_COUNT);
    expect(await served(install)).toBe(new X509Certificate(secret['tls.crt']!).fingerprint256);
    await routeService(info, install.namespace, 'gko-webhook');
  });

  it('denies an invalid API from the webhook pod, reached through its Service', async () => {
    const install = installs.certManager;
    const denied = await apply(info, install.apps, api('lost', { contextRef: { name: 'ghost' } }));
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('admission webhook');
    expect(denied.stderr).toContain('ghost does not exist');
  });

  it('synchronises a valid API with APIM through the controller pod', async () => {
    const install = installs.certManager;
    expect((await apply(info, install.apps, context('apim', simulator.url))).code).toBe(0);
    expect((await apply(info, install.apps, api('orders'))).code).toBe(0);
    await kubectlOk(info, [
      'wait',
      '--for=condition=Ready',
      '--timeout=90s',
      '-n',
      install.apps,
      'managementcontext/apim',
      'apiv4definition/orders',
    ]);
    // The Automation API received it (not as a dry run), under its human-readable id.
    const imports = simulator
      .requests()
      .filter((r) => r.method === 'PUT' && r.path.endsWith('/apis') && r.query['dryRun'] !== 'true');
    expect(imports.map((r) => (r.body as { hrid?: string }).hrid)).toContain(`${install.apps}-orders`);
  });

  it('serves a renewed certificate without one failed admission', async () => {
    const install = installs.certManager;
    const before = await secretData(install.namespace, 'gko-webhook-cert');
    const servedBefore = await served(install);
    // What `cmctl renew` does: ask cert-manager to issue the certificate again now.
    const certificate = JSON.parse(
      await kubectlOk(info, ['get', 'certificate', 'gko-webhook-serving', '-n', install.namespace, '-o', 'json']),
    ) as { status: { conditions: Record<string, unknown>[] } };
    const issuing = {
      type: 'Issuing',
      status: 'True',
      reason: 'ManuallyTriggered',
      message: 'renewal asked by the test',
      lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    await patchStatus(info, install.namespace, 'certificate/gko-webhook-serving', {
      conditions: [...certificate.status.conditions, issuing],
    });
    const run = await appliesUntil(install, async () => (await served(install)) !== servedBefore, 150_000);
    expect(run.done).toBe(true);
    expect(run.failures).toEqual([]);
    const after = await secretData(install.namespace, 'gko-webhook-cert');
    expect(after['tls.crt']).not.toBe(before['tls.crt']);
    expect(after['ca.crt']).toBe(before['ca.crt']);
    expect(await served(install)).toBe(new X509Certificate(after['tls.crt']!).fingerprint256);
  });
});

describe('a second installation beside it, managing its own certificate, watching only its namespace', () => {
  it('installs without clashing, fills its Secret and injects its CA', async () => {
    const partial = { namespace: 'gko-team', apps: 'gko-team', ports: await installPorts() };
    const install: Install = {
      ...partial,
      valuesFile: await values(partial, {
        manager: { scope: { cluster: false }, webhook: { cert: { validitySeconds: 60 } } },
      }),
      api: (spec = {}) =>
        api('orders', {
          listeners: [{ type: 'HTTP', paths: [{ path: '/team-orders' }], entrypoints: [{ type: 'http-proxy' }] }],
          ...spec,
        }),
    };
    installs.selfManaged = install;
    await installChart(install);
    const secret = await secretData(install.namespace, 'gko-webhook-cert');
    expect(Object.keys(secret).sort()).toEqual(['ca', 'ca.key', 'cert', 'key']);
    const bundles = await bundlesOf(install);
    expect(new Set(bundles)).toEqual(new Set([secret['ca']]));
    expect(await served(install)).toBe(new X509Certificate(secret['cert']!).fingerprint256);
    await routeService(info, install.namespace, 'gko-webhook');
    // Both installations' cluster-scoped objects exist side by side.
    for (const namespace of ['gko-system', 'gko-team'])
      expect((await kubectl(info, ['get', 'validatingwebhookconfiguration', `${namespace}-gko-validating`])).code).toBe(
        0,
      );
  });

  it('denies and synchronises in its namespace', async () => {
    const install = installs.selfManaged;
    const denied = await apply(info, install.apps, api('lost', { contextRef: { name: 'ghost' } }));
    expect(denied.stderr).toContain('ghost does not exist');
    expect((await apply(info, install.apps, [context('apim', simulator.url), install.api()])).code).toBe(0);
    await kubectlOk(info, [
      'wait',
      '--for=condition=Ready',
      '--timeout=90s',
      '-n',
      install.apps,
      'apiv4definition/orders',
    ]);
  });

  it('renews its certificate under the same CA without one failed admission', async () => {
    const install = installs.selfManaged;
    const before = await secretData(install.namespace, 'gko-webhook-cert');
    const servedBefore = await served(install);
    // Renewal comes once a third of the 60 s validity is left.
    const run = await appliesUntil(install, async () => (await served(install)) !== servedBefore, 90_000);
    expect(run.done).toBe(true);
    expect(run.failures).toEqual([]);
    const after = await secretData(install.namespace, 'gko-webhook-cert');
    expect(after['ca']).toBe(before['ca']);
    expect(after['cert']).not.toBe(before['cert']);
  });
});

describe('life of an installation', () => {
  it('rolls the pods when helm upgrade changes a value', async () => {
    const install = installs.certManager;
    const before = [
      ...(await podsOf(install.namespace, 'controller')),
      ...(await podsOf(install.namespace, 'webhook')),
    ];
    await helmOk([
      'upgrade',
      'gko',
      CHART,
      '-n',
      install.namespace,
      '-f',
      install.valuesFile,
      '--set',
      'manager.logs.level=debug',
      '--wait',
      '--timeout',
      '180s',
    ]);
    await waitUntil('new pods', async () => {
      const now = [...(await podsOf(install.namespace, 'controller')), ...(await podsOf(install.namespace, 'webhook'))];
      return now.length === 2 && now.every((p) => !before.some((b) => b.uid === p.uid)) ? now : undefined;
    });
    await waitPodsReady(install.namespace);
    const config = JSON.parse(
      await kubectlOk(info, ['get', 'configmap', 'gko-config', '-n', install.namespace, '-o', 'json']),
    ) as {
      data: Record<string, string>;
    };
    expect(config.data['LOGS_LEVEL']).toBe('debug');
  });

  it('hands the lease to the replacement of a deleted controller pod, which reconciles within 15 s of starting', async () => {
    const install = installs.certManager;
    const [old] = await podsOf(install.namespace, 'controller');
    await kubectlOk(info, ['delete', 'pod', old!.name, '-n', install.namespace, '--wait=true']);
    // A change made while no controller runs.
    expect((await apply(info, install.apps, install.api({ description: 'changed without a controller' }))).code).toBe(
      0,
    );
    const replacement = await waitUntil('a running replacement', async () => {
      const [pod] = await podsOf(install.namespace, 'controller');
      return pod && pod.name !== old!.name && pod.startedAt ? pod : undefined;
    });
    const synced = await waitUntil(
      'the change synchronised',
      async () => {
        const object = JSON.parse(
          await kubectlOk(info, ['get', 'apiv4definition', 'orders', '-n', install.apps, '-o', 'json']),
        ) as {
          metadata: { generation: number };
          status?: { conditions?: { type: string; status: string; observedGeneration?: number }[] };
        };
        const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'True' && ready.observedGeneration === object.metadata.generation
          ? Date.now()
          : undefined;
      },
      60_000,
    );
    expect(synced - Date.parse(replacement.startedAt!)).toBeLessThan(15_000);
    const lease = JSON.parse(
      await kubectlOk(info, ['get', 'lease', '24d975d3.gravitee.io', '-n', install.namespace, '-o', 'json']),
    ) as { spec: { holderIdentity: string } };
    expect(lease.spec.holderIdentity).toBe(replacement.name);
  });

  it('uninstalls without leaving a pod, a webhook configuration or a finalizer', async () => {
    const heldSecret = async (install: Install) =>
      (
        JSON.parse(await kubectlOk(info, ['get', 'secret', 'held-credentials', '-n', install.apps, '-o', 'json'])) as {
          metadata: { finalizers?: string[] };
        }
      ).metadata.finalizers ?? [];
    // A context's credentials Secret, held by the controllers while the context names it.
    for (const install of [installs.certManager, installs.selfManaged]) {
      await kubectlOk(info, ['apply', '-n', install.apps, '-f', '-'], {
        input: JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'held-credentials' },
              stringData: { username: 'admin', password: 'admin' },
            },
            {
              apiVersion: 'gravitee.io/v1alpha1',
              kind: 'ManagementContext',
              metadata: { name: 'held' },
              spec: {
                baseUrl: simulator.url,
                organizationId: 'DEFAULT',
                environmentId: 'DEFAULT',
                auth: { secretRef: { name: 'held-credentials' } },
              },
            },
          ],
        }),
      });
      await waitUntil('the credentials held', async () =>
        (await heldSecret(install)).includes('finalizers.gravitee.io/managementcontextSecret') ? true : undefined,
      );
    }
    for (const install of [installs.certManager, installs.selfManaged]) {
      await helmOk(['uninstall', 'gko', '-n', install.namespace, '--wait', '--timeout', '180s']);
      await waitUntil('no pod left', async () => {
        const pods = JSON.parse(await kubectlOk(info, ['get', 'pods', '-n', install.namespace, '-o', 'json'])) as {
          items: unknown[];
        };
        return pods.items.length === 0 ? true : undefined;
      });
      for (const type of ['validating', 'mutating'])
        expect(
          (await kubectl(info, ['get', `${type}webhookconfiguration`, `${install.namespace}-gko-${type}`])).code,
        ).not.toBe(0);
      const orders = JSON.parse(
        await kubectlOk(info, ['get', 'apiv4definition', 'orders', '-n', install.apps, '-o', 'json']),
      ) as { metadata: { finalizers?: string[] } };
      expect(orders.metadata.finalizers ?? []).toEqual([]);
      expect(await heldSecret(install)).toEqual([]);
      // Deleting what is left never hangs.
      await kubectlOk(info, [
        'delete',
        'apiv4definition,managementcontext',
        '--all',
        '-n',
        install.apps,
        '--timeout=30s',
      ]);
      await kubectlOk(info, ['delete', 'secret', 'held-credentials', '-n', install.apps, '--timeout=30s']);
    }
    const leftover = await kubectlOk(info, [
      'get',
      'clusterroles,clusterrolebindings,validatingwebhookconfigurations,mutatingwebhookconfigurations',
      '-l',
      'app.kubernetes.io/instance=gko',
      '-o',
      'name',
    ]);
    expect(leftover.trim()).toBe('');
  });
});

describe('the commands of the image', () => {
  it('runs gko validate as node /app/main.mjs validate, in a pod of the image, exiting 1 with the refusal', async () => {
    const namespace = await createNamespace(info, 'image-commands', {});
    const manifests = [context('apim', 'http://127.0.0.1:1'), api('planless', { plans: {} })];
    expect(
      (
        await apply(info, namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'manifests' },
          data: { 'manifests.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests }) },
        })
      ).code,
    ).toBe(0);
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'validate' },
      spec: {
        restartPolicy: 'Never',
        hostNetwork: true,
        containers: [
          {
            name: 'gko',
            image: `gko-operator:${imageTag}`,
            imagePullPolicy: 'Never',
            args: ['validate', '--namespace', 'team-a', '/manifests'],
            securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
            volumeMounts: [{ name: 'manifests', mountPath: '/manifests', readOnly: true }],
          },
        ],
        volumes: [{ name: 'manifests', configMap: { name: 'manifests' } }],
      },
    };
    expect((await apply(info, namespace, pod)).code).toBe(0);
    const state = await waitUntil('the validate pod terminated', async () => {
      const got = JSON.parse(await kubectlOk(info, ['get', 'pod', 'validate', '-n', namespace, '-o', 'json'])) as {
        status?: { containerStatuses?: { state?: { terminated?: { exitCode: number } } }[] };
      };
      return got.status?.containerStatuses?.[0]?.state?.terminated;
    });
    expect(state.exitCode).toBe(1);
    const logs = await kubectlOk(info, ['logs', 'validate', '-n', namespace]);
    expect(logs).toContain(
      'error: ApiV4Definition team-a/planless: spec.plans: a started API needs at least one plan: add a plan, or set state to STOPPED',
    );
    expect(logs).toContain('2 objects checked: 1 refused, 1 error, 0 warnings');
  });
});
