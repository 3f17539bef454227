// The local demo: a real control plane on this machine, ready for kubectl.
//   node test-e2e/demo/main.ts          run until Ctrl-C
//   node test-e2e/demo/main.ts --once   start, report, stop (used by the tests)
import { once } from 'node:events';
import { kubectlOk, startControlPlane } from '../src/index.ts';

const controlPlane = await startControlPlane();
const { info } = controlPlane;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the control plane...');
  await controlPlane.stop();
};

try {
  const version = await kubectlOk(info, ['version']);
  console.log(`control plane is up at ${info.server}\n\n${version.trim()}\n`);
  console.log(`kubectl:    ${info.kubectl}`);
  console.log(`kubeconfig: ${info.kubeconfig}\n`);
  console.log(`try:  KUBECONFIG=${info.kubeconfig} ${info.kubectl} get namespaces`);
  if (!process.argv.includes('--once')) {
    console.log('\npress Ctrl-C to stop');
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  }
} finally {
  await stop();
}
