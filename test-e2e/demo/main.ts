// The local demo: a real control plane with our CRDs, the admission webhook served over TLS, the
// controllers, and the APIM simulator standing in for APIM. The example manifests are applied into
// the namespace `demo` and synchronised, an Ingress of class graviteeio becomes a gateway ConfigMap
// (the Ingress controller is on, as the chart has it by default); then an invalid API shows what a
// denial looks like.
//   node test-e2e/demo/main.ts          run until Ctrl-C
//   node test-e2e/demo/main.ts --once   start, report, stop (used by the tests)
import { once } from 'node:events';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  EXAMPLE_USER,
  EXAMPLE_WAVES,
  apply,
  exampleWave,
  installCrds,
  kubectl,
  kubectlOk,
  startControlPlane,
  startOperator,
  startWebhook,
  type RunningOperator,
  type RunningWebhook,
} from '../src/index.ts';

const NAMESPACE = 'demo';

const INGRESS = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'shop-ingress' },
  spec: {
    ingressClassName: 'graviteeio',
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/shop', pathType: 'Prefix', backend: { service: { name: 'shop', port: { number: 8080 } } } },
          ],
        },
      },
    ],
  },
};

async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await attempt();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const controlPlane = await startControlPlane();
const { info } = controlPlane;
let simulator: Simulator | undefined;
let webhook: RunningWebhook | undefined;
let operator: RunningOperator | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // A second Ctrl-C (or the same one, forwarded by npm and pnpm) must not cut the cleanup short.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {});
  console.log('\nstopping the controllers, the webhook, the APIM simulator and the control plane...');
  // Each part is stopped whatever happened to the one before: the control plane must not outlive us.
  for (const [what, part] of [
    ['the controllers', operator],
    ['the webhook', webhook],
    ['the APIM simulator', simulator],
    ['the control plane', controlPlane],
  ] as const) {
    try {
      await part?.stop();
    } catch (error) {
      console.log(`could not stop ${what} cleanly: ${(error as Error).message.split('\n')[0]}`);
    }
  }
};

try {
  const version = await kubectlOk(info, ['version']);
  console.log(`control plane is up at ${info.server}\n\n${version.trim()}\n`);

  await installCrds(info);
  simulator = await startSimulator({ users: [EXAMPLE_USER] });
  // The Ingress controller is on, as in the chart by default.
  webhook = await startWebhook(info, { env: { ENABLE_INGRESS: 'true' } });
  await kubectlOk(info, ['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: webhook.labels },
    }),
  });
  operator = await startOperator(info, { env: { NAMESPACE, LOGS_LEVEL: 'info', ENABLE_INGRESS: 'true' } });
  console.log(`APIM simulator: ${simulator.url}`);
  console.log(`admission webhook: ready, serving namespace ${NAMESPACE}`);
  console.log(`controllers: ready, reconciling namespace ${NAMESPACE}\n`);

  let applied = 0;
  for (const wave of EXAMPLE_WAVES) {
    for (const { file, object } of exampleWave(wave, simulator.url)) {
      const result = await apply(info, NAMESPACE, object);
      if (result.code !== 0) throw new Error(`${file} was refused: ${result.stderr.trim()}`);
      applied++;
    }
  }
  console.log(`applied ${applied} example objects through the webhook`);
  // What can be Ready: every object but the example contexts other than apim (they point at a port
  // where nothing answers).
  await kubectlOk(info, [
    'wait',
    '--for=condition=Ready',
    '--timeout=120s',
    '-n',
    NAMESPACE,
    [
      'apiv4definitions',
      'apidefinitions',
      'apiresources',
      'applications',
      'subscriptions',
      'sharedpolicygroups',
      'groups',
      'notifications',
      'dictionaries',
      'portals',
      'portallinks',
      'portallistings',
      'documentations',
    ]
      .map((plural) => `${plural}.gravitee.io`)
      .join(','),
    '--all',
  ]);
  await kubectlOk(info, ['wait', '--for=condition=Ready', '--timeout=60s', '-n', NAMESPACE, 'managementcontext/apim']);
  // An Ingress of the class the operator handles: the Ingress controller makes it a local-mode API.
  await kubectlOk(info, ['apply', '-n', NAMESPACE, '-f', '-'], { input: JSON.stringify(INGRESS) });
  const ingressMap = await waitFor('the ConfigMap of Ingress shop-ingress', async () => {
    const found = await kubectl(info, ['get', 'configmap', 'shop-ingress', '-n', NAMESPACE, '-o', 'json']);
    return found.code === 0 ? (JSON.parse(found.stdout) as { data: Record<string, string> }) : undefined;
  });
  await kubectlOk(info, [
    'wait',
    '--for=condition=Ready',
    '--timeout=60s',
    '-n',
    NAMESPACE,
    'apidefinition/shop-ingress',
  ]);
  console.log('and synchronised them:\n');
  console.log((await kubectlOk(info, ['get', 'gravitee', '-n', NAMESPACE])).trim());
  console.log('\nConfigMaps of the APIs deployed to gateways in local mode:\n');
  console.log((await kubectlOk(info, ['get', 'configmaps', '-n', NAMESPACE, '-l', 'managed-by=gravitee.io'])).trim());
  const local = JSON.parse(
    await kubectlOk(info, ['get', 'configmap', 'health-api', '-n', NAMESPACE, '-o', 'json']),
  ) as { data: Record<string, string> };
  const definition = JSON.parse(local.data['definition'] ?? '{}') as Record<string, unknown>;
  console.log(
    `\nconfigmap/health-api: apiDefinitionVersion ${local.data['apiDefinitionVersion']}, definition ${JSON.stringify({
      id: definition['id'],
      name: definition['name'],
      type: definition['type'],
      listeners: definition['listeners'],
    })}`,
  );

  const routed = JSON.parse(ingressMap.data['definition'] ?? '{}') as {
    id?: string;
    name?: string;
    proxy?: { virtual_hosts?: unknown };
  };
  console.log(
    `configmap/shop-ingress (from Ingress ${NAMESPACE}/shop-ingress, class graviteeio): a v2 definition ${JSON.stringify(
      { id: routed.id, name: routed.name, virtual_hosts: routed.proxy?.virtual_hosts },
    )}`,
  );

  const invalid = {
    apiVersion: 'gravitee.io/v1alpha1',
    kind: 'ApiV4Definition',
    metadata: { name: 'broken' },
    spec: {
      contextRef: { name: 'apim' },
      name: 'broken',
      version: '1.0',
      type: 'PROXY',
      state: 'STARTED',
      listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: [
        {
          name: 'default',
          type: 'http-proxy',
          endpoints: [
            {
              name: 'one',
              type: 'http-proxy',
              inheritConfiguration: false,
              configuration: { target: 'http://orders.shop.svc:8080' },
            },
          ],
        },
      ],
      resources: [{ ref: { name: 'no-such-resource' } }],
    },
  };
  const denied = await apply(info, NAMESPACE, invalid);
  console.log(
    `\nan API started without plans, on a taken path, using a missing resource:\n\n${denied.stderr.trim()}\n`,
  );

  console.log(`kubectl:    ${info.kubectl}`);
  console.log(`kubeconfig: ${info.kubeconfig}\n`);
  console.log(`try:  KUBECONFIG=${info.kubeconfig} ${info.kubectl} get gravitee -n ${NAMESPACE}`);
  if (!process.argv.includes('--once')) {
    console.log('\npress Ctrl-C to stop');
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  }
} finally {
  await stop();
}
