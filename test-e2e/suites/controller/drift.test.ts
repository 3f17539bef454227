// Drift repair: a change made in APIM behind the operator's back (as a console edit would) is undone
// within one drift period and reported as an Event; so is an API deleted from APIM. With drift repair
// on, an idle API costs reads only.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  kubectlOk,
  startOperator,
  waitReady,
  type RunningOperator,
} from '../../src/index.ts';
import { context, credentials, eventually, events, getJson, v4Api } from './fixtures.ts';

const cluster = inject('controlPlane');
const PERIOD_SECONDS = 3;
let simulator: Simulator;
let operator: RunningOperator;
let ns = '';

const hrid = () => `${ns}-edited`;
const stored = () => simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.get(hrid());

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  ns = await createNamespace(cluster, 'controller-drift');
  operator = await startOperator(cluster, {
    env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: String(PERIOD_SECONDS) },
  });
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, [context('apim', simulator.url), v4Api('edited')])).code).toBe(0);
  expect((await waitReady(cluster, ns, 'apiv4definition/edited')).code).toBe(0);
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

describe('drift repair', () => {
  it('reads only while nothing changed', async () => {
    simulator.clearRequests();
    await new Promise((r) => setTimeout(r, (PERIOD_SECONDS + 1) * 1000));
    const calls = simulator.requests();
    expect(calls.filter((r) => r.method === 'GET' && r.path.endsWith(`/apis/${hrid()}`)).length).toBeGreaterThan(0);
    expect(calls.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('undoes a console edit within one period and records an Event', async () => {
    const started = Date.now();
    simulator.edit('apis', hrid(), { name: 'renamed in the console', description: 'not from the cluster' });
    expect(stored()!.name).toBe('renamed in the console');
    await eventually('the name restored', () => stored()!.name === 'edited', (PERIOD_SECONDS * 2 + 5) * 1000);
    expect(Date.now() - started).toBeLessThan((PERIOD_SECONDS * 2 + 5) * 1000);
    const repaired = await eventually('a DriftRepaired event', async () =>
      (await events(cluster, ns, 'edited')).find((e) => e.reason === 'DriftRepaired'),
    );
    expect(repaired.type).toBe('Warning');
    // The description is not in the manifest: APIM may hold one; the name is, and differed.
    expect(repaired.note).toContain('differed in name');
  });

  it('changes nothing when the read itself fails', async () => {
    simulator.clearRequests();
    simulator.setFaults({ errorRate: 1, errorStatus: 503, pathContains: `/apis/${hrid()}` });
    await new Promise((r) => setTimeout(r, (PERIOD_SECONDS * 2 + 1) * 1000));
    simulator.clearFaults();
    expect(simulator.requests().some((r) => r.method === 'GET' && r.status === 503)).toBe(true);
    expect(simulator.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    const ready = (await getJson<{ status: { conditions: { type: string; status: string }[] } }>(
      cluster,
      ns,
      'apiv4definition/edited',
    ))!.status.conditions.find((c) => c.type === 'Ready');
    expect(ready?.status).toBe('True');
  });

  it('recreates an API deleted from APIM behind its back', async () => {
    simulator.remove('apis', hrid());
    await eventually('the API back in APIM', () => stored() !== undefined, (PERIOD_SECONDS * 2 + 5) * 1000);
    expect(stored()!.name).toBe('edited');
  });

  it('sends nothing when the credentials Secret changes in its labels or annotations only', async () => {
    simulator.clearRequests();
    await kubectlOk(cluster, ['label', '-n', ns, 'secret/apim-credentials', 'team=payments']);
    await kubectlOk(cluster, ['annotate', '-n', ns, 'secret/apim-credentials', 'example.com/rotated=never']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(simulator.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    // New data is a change: every object of the context is sent again.
    const changed = credentials('apim-credentials', 'admin', 'admin');
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify({ ...changed, stringData: { ...changed.stringData, rotation: '2' } }),
    });
    await eventually('the API sent again', () =>
      simulator.requests().some((r) => r.method === 'PUT' && r.path.endsWith('/apis')),
    );
  });
});
