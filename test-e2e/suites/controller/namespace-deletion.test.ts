// Deleting a whole namespace: its Secrets go at once, its APIs wait for their finalizer. The APIs are
// still removed from APIM (with the credentials last used for their context), and the namespace goes.
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
