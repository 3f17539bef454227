// Taking over from the upstream operator: objects it created, with its finalizers, annotations and
// status (HRID-managed and legacy UUID ones), are adopted without a single creation in APIM, and its
// finalizers are released on delete.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import type { ApiDefinition, ApiV4Definition } from '@gko/api';
import { createApimClient, NO_REFERENCES, toApiV4Spec, toV2Definition, type ApimClient } from '@gko/mapi';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  kubectlOk,
  patchStatus,
  startOperator,
  waitReady,
  type RunningOperator,
} from '../../src/index.ts';
import { context, credentials, getJson, v2Api, v4Api, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
const UPSTREAM_FINALIZER = 'finalizers.gravitee.io/apidefinitiondeletion';
let simulator: Simulator;
let apim: ApimClient;
let operator: RunningOperator | undefined;
let ns = '';
const legacyId = randomUUID();
const legacyCrossId = randomUUID();
const legacyPlanId = randomUUID();
const v2Id = randomUUID();

const condition = (type: string) => ({
  type,
  status: 'True',
  reason: type,
  message: 'reconciled by the upstream operator',
  observedGeneration: 1,
  lastTransitionTime: '2026-01-01T00:00:00Z',
});

/**
 * Applies the object as upstream leaves it: its finalizer and annotation, what it created in APIM
 * from the stored object (defaults included), and the status it wrote.
 */
async function leaveAsUpstream<T>(
  object: Manifest,
  createInApim: (stored: T) => Promise<Record<string, unknown>>,
): Promise<void> {
  object.metadata.annotations = { 'gravitee.io/last-spec-hash': 'b1946ac92492d2347c6235b4d2611184' };
  (object.metadata as { finalizers?: string[] }).finalizers = [UPSTREAM_FINALIZER];
  expect((await apply(cluster, ns, object)).code).toBe(0);
  const resource = `${object.kind.toLowerCase()}/${object.metadata.name}`;
  await patchStatus(cluster, ns, resource, await createInApim((await getJson<T>(cluster, ns, resource))!));
}

const environment = () => simulator.state.environment('DEFAULT', 'DEFAULT')!;

beforeAll(async () => {
  await installCrds(cluster);
  simulator = await startSimulator();
  apim = createApimClient({
    context: 'upstream',
    baseUrl: simulator.url,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    credentials: { kind: 'basic', username: 'admin', password: 'admin' },
  });
  ns = await createNamespace(cluster, 'controller-adopt');
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, context('apim', simulator.url))).code).toBe(0);

  // An API the upstream operator synchronised through the Automation API (by HRID).
  await leaveAsUpstream<ApiV4Definition>(v4Api('managed'), async (stored) => {
    const state = await apim.apis.put(toApiV4Spec(stored, NO_REFERENCES));
    return {
      id: state.id,
      crossId: state.crossId,
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
      plans: { free: state.plans?.[0]?.id },
      processingStatus: 'Completed',
      conditions: [condition('Accepted'), condition('ResolvedRefs'), condition('AutomationAPIManaged')],
    };
  });

  // One it created before HRIDs existed: known to APIM by a UUID only, found by its crossId, its plan
  // by the id it was given (upstream's status records the API id and the plan ids).
  await leaveAsUpstream<ApiV4Definition>(v4Api('legacy'), async (stored) => {
    const body = toApiV4Spec(stored, NO_REFERENCES);
    const plans = (body.plans ?? []).map((p) => ({ ...p, id: legacyPlanId }));
    await apim.apis.put({ ...body, hrid: legacyId, crossId: legacyCrossId, plans }, { hridContainsUUID: true });
    return {
      id: legacyId,
      crossId: legacyCrossId,
      plans: { free: legacyPlanId },
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
      processingStatus: 'Completed',
      conditions: [condition('Accepted'), condition('ResolvedRefs')],
    };
  });

  // A v2 API imported with its id.
  await leaveAsUpstream<ApiDefinition>(v2Api('classic'), async (stored) => {
    const imported = await apim.v2Apis.import(toV2Definition({ ...stored, status: { id: v2Id } }, NO_REFERENCES));
    return {
      id: imported.id,
      crossId: imported.crossId,
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
      state: 'STARTED',
      plans: imported.plans,
      processingStatus: 'Completed',
      conditions: [condition('Accepted'), condition('ResolvedRefs')],
    };
  });
  simulator.clearRequests();
});
afterAll(async () => {
  await operator?.stop();
  await apim?.close();
  await simulator?.stop();
});

describe('objects left by the upstream operator', () => {
  it('are adopted without any write to APIM, and become Ready', async () => {
    const before = { v4: environment().apis.size, v2: environment().v2Apis.size };
    operator = await startOperator(cluster, { env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
    for (const resource of ['apiv4definition/managed', 'apiv4definition/legacy', 'apidefinition/classic'])
      expect((await waitReady(cluster, ns, resource)).code).toBe(0);
    expect(simulator.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect({ v4: environment().apis.size, v2: environment().v2Apis.size }).toEqual(before);
    // The legacy API keeps its UUID: it was read back by it, not by an HRID.
    expect(
      simulator.requests().some((r) => r.path.endsWith(`/apis/${legacyId}`) && r.query['hridContainsUUID'] === 'true'),
    ).toBe(true);
    const legacy = await getJson<{ status: { id: string } }>(cluster, ns, 'apiv4definition/legacy');
    expect(legacy!.status.id).toBe(legacyId);
  });

  it('are updated in place after a change: still no second copy in APIM', async () => {
    const before = environment().apis.size;
    expect((await apply(cluster, ns, v4Api('legacy', { description: 'changed after the take-over' }))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/legacy')).code).toBe(0);
    expect(environment().apis.get(legacyId)?.description).toBe('changed after the take-over');
    expect(environment().apis.size).toBe(before);
  });

  it('do not hold Secrets that upstream put its finalizer on', async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'held-by-upstream', finalizers: ['finalizers.gravitee.io/managementcontextSecret'] },
      stringData: { token: 'x' },
    };
    await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], { input: JSON.stringify(secret) });
    expect((await kubectl(cluster, ['delete', 'secret', 'held-by-upstream', '-n', ns, '--timeout=30s'])).code).toBe(0);
    expect(await getJson(cluster, ns, 'secret/held-by-upstream')).toBeUndefined();
  });

  it('release the upstream finalizer on delete, after removing the API from APIM', async () => {
    for (const [resource, gone] of [
      ['apiv4definition/managed', () => !environment().apis.has(`${ns}-managed`)],
      ['apiv4definition/legacy', () => !environment().apis.has(legacyId)],
      ['apidefinition/classic', () => !environment().v2Apis.has(v2Id)],
    ] as const) {
      expect((await kubectl(cluster, ['delete', resource, '-n', ns, '--timeout=30s'])).code).toBe(0);
      expect(gone()).toBe(true);
    }
  });
});
