// The local demo: a real control plane with our CRDs, the admission webhook served over TLS, and the
// APIM simulator standing in for APIM. The example manifests are applied into the namespace `demo`,
// then an invalid API shows what a denial looks like.
//   node test-e2e/demo/main.ts          run until Ctrl-C
//   node test-e2e/demo/main.ts --once   start, report, stop (used by the tests)
import { once } from 'node:events';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  EXAMPLE_USER,
  EXAMPLE_WAVES,
  apply,
  applyEventually,
  exampleWave,
  installCrds,
  kubectlOk,
  startControlPlane,
  startWebhook,
  type RunningWebhook,
} from '../src/index.ts';

const NAMESPACE = 'demo';

const controlPlane = await startControlPlane();
const { info } = controlPlane;
let simulator: Simulator | undefined;
let webhook: RunningWebhook | undefined;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the webhook, the APIM simulator and the control plane...');
  await webhook?.stop();
  await simulator?.stop();
  await controlPlane.stop();
};

try {
  const version = await kubectlOk(info, ['version']);
  console.log(`control plane is up at ${info.server}\n\n${version.trim()}\n`);

  await installCrds(info);
  simulator = await startSimulator({ users: [EXAMPLE_USER] });
  webhook = await startWebhook(info);
  await kubectlOk(info, ['create', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE, labels: webhook.labels },
    }),
  });
  console.log(`APIM simulator: ${simulator.url}`);
  console.log(`admission webhook: ready, serving namespace ${NAMESPACE}\n`);

  let applied = 0;
  for (const wave of EXAMPLE_WAVES) {
    for (const { file, object } of exampleWave(wave, simulator.url)) {
      const result = await applyEventually(() => apply(info, NAMESPACE, object));
      if (result.code !== 0) throw new Error(`${file} was refused: ${result.stderr.trim()}`);
      applied++;
    }
  }
  console.log(`applied ${applied} example objects through the webhook:\n`);
  console.log((await kubectlOk(info, ['get', 'gravitee', '-n', NAMESPACE])).trim());

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
