// Deleting a whole namespace: its APIs wait for their finalizer, and so does the Secret holding their
// context's credentials. The APIs are removed from APIM with those credentials, even when the operator
// restarts in the middle (nothing it needs is only in memory), then the context and the Secret go,
// and the namespace with them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  kubectlOk,
  startControllerManager,
  startOperator,
  waitReady,
  type ManagedProcess,
  type RunningOperator,
} from '../../src/index.ts';
import { context, credentials, eventually, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
let simulator: Simulator;
let operator: RunningOperator;
let controllerManager: ManagedProcess;
let ns = '';

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  ns = await createNamespace(cluster, 'controller-nsdel');
  controllerManager = await startControllerManager(cluster);
  operator = await startOperator(cluster, { env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, [context('apim', simulator.url), v4Api('doomed')])).code).toBe(0);
  expect((await waitReady(cluster, ns, 'apiv4definition/doomed')).code).toBe(0);
});
afterAll(async () => {
  await operator?.stop();
  await controllerManager?.stop();
  await simulator?.stop();
});

describe('deleting the namespace of an API', () => {
  it('removes the API from APIM and lets the namespace go', async () => {
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-doomed`)).toBe(true);
    expect((await kubectl(cluster, ['delete', 'namespace', ns, '--wait=false'])).code).toBe(0);
    await eventually(
      'the namespace gone',
      async () => (await kubectl(cluster, ['get', 'namespace', ns])).code !== 0,
      90_000,
    );
    expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${ns}-doomed`)).toBe(false);
  });
});

describe('deleting the namespace of an API while the operator is down', () => {
  it('removes the API from APIM once the operator is back, with the credentials kept for it', async () => {
    const other = await createNamespace(cluster, 'controller-nsdel-restart');
    const start = () => startOperator(cluster, { env: { NAMESPACE: other, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
    let running = await start();
    try {
      await kubectlOk(cluster, ['apply', '-n', other, '-f', '-'], {
        input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
      });
      expect((await apply(cluster, other, [context('apim', simulator.url), v4Api('doomed')])).code).toBe(0);
      expect((await waitReady(cluster, other, 'apiv4definition/doomed')).code).toBe(0);
      const finalizers = async () =>
        (
          JSON.parse(await kubectlOk(cluster, ['get', '-n', other, 'secret/apim-credentials', '-o', 'json'])) as {
            metadata: { finalizers?: string[]; deletionTimestamp?: string };
          }
        ).metadata;
      await eventually('the credentials held', async () =>
        (await finalizers()).finalizers?.includes('finalizers.gravitee.io/managementcontextSecret'),
      );
      await running.stop();
      expect((await kubectl(cluster, ['delete', 'namespace', other, '--wait=false'])).code).toBe(0);
      await eventually('the Secret being deleted, and kept', async () => !!(await finalizers()).deletionTimestamp);
      expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${other}-doomed`)).toBe(true);
      running = await start();
      await eventually(
        'the namespace gone',
        async () => (await kubectl(cluster, ['get', 'namespace', other])).code !== 0,
        90_000,
      );
      expect(simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.has(`${other}-doomed`)).toBe(false);
    } finally {
      await running.stop();
    }
  });
});
