// Compatibility with upstream's operator, checked against its recorded runs (src/upstream-recordings.ts),
// in one file because every part uses the namespaces the recordings ran in (ids are hashed from them).
//
// Identities: each recorded example is applied, as upstream stored it, into a namespace of the same
// name, and what this operator sends to APIM, records in statuses and writes for gateways must name the
// same objects by the same ids: request paths, HRIDs, ids and crossIds of APIs, plans and pages,
// subscription references, ConfigMap names, labels and keys, and the ids inside gateway definitions.
// Then everything is deleted, and the deletes must name the same objects too.
//
// Take-over: from the state upstream leaves (APIM holding what it sent, its writes replayed exactly;
// the custom resources with its annotations, finalizers and status; the ConfigMaps it wrote), this
// operator starts and must write nothing, neither to APIM nor to the ConfigMaps. Then one change per
// object is exactly one write, under the ids upstream gave: no plan made again, no subscription
// closed. Beside the recordings: an API upstream synchronised before HRIDs existed (known by UUID),
// with a subscription holding a key of its own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type EnvironmentState, type Simulator } from '@gko/apim-simulator';
import { installCrds, kubectl, kubectlOk, startOperator, waitReady, type RunningOperator } from '../../src/index.ts';
import {
  configMapIdentity,
  identity,
  loadRecordings,
  recordingsDir,
  splitCall,
  statusIdentity,
  type RecordedConfigMap,
  type RecordedObject,
  type Recording,
} from '../../src/upstream-recordings.ts';
import { eventually, getJson } from './fixtures.ts';
import {
  leaveAsUpstream,
  recordedManifest,
  recordedTokens,
  freshNamespace,
  replay,
  upstreamConfigMap,
} from './upstream-state.ts';

const cluster = inject('controlPlane');
const recordings = loadRecordings();
if (recordings.length === 0)
  console.warn(`upstream's recorded runs (${recordingsDir()}) not found: the comparisons with upstream are skipped`);

// Identities

let simulator: Simulator;
let operator: RunningOperator | undefined;

const writes = (deleting: boolean) =>
  simulator
    .requests()
    .filter((r) => (deleting ? r.method === 'DELETE' : r.method === 'PUT') && r.query['dryRun'] !== 'true')
    .map((r) => JSON.stringify(identity(r.method, r.path, r.body as Record<string, unknown> | undefined)));

/** Each distinct write once, sorted: upstream and this operator may repeat a write, not differ in one. */
const distinct = (values: string[]) => [...new Set(values)].sort().map((v) => JSON.parse(v) as unknown);

/** What of `ours` the recorded value also has (the same keys, down to the leaves; lists item by item). */
function within(ours: unknown, recorded: unknown): unknown {
  if (Array.isArray(ours) && Array.isArray(recorded)) return ours.map((item, i) => within(item, recorded[i]));
  if (!ours || !recorded || typeof ours !== 'object' || typeof recorded !== 'object') return ours;
  return Object.fromEntries(
    Object.keys(recorded).map((key) => [
      key,
      within((ours as Record<string, unknown>)[key], (recorded as Record<string, unknown>)[key]),
    ]),
  );
}

const resourceOf = (kind: string, name: string) => `${kind.toLowerCase()}.gravitee.io/${name}`;

async function localConfigMaps(namespace: string): Promise<Record<string, unknown>[]> {
  const list = JSON.parse(
    await kubectlOk(cluster, ['get', 'configmaps', '-n', namespace, '-l', 'managed-by=gravitee.io', '-o', 'json']),
  ) as { items: { metadata: { name: string; labels: Record<string, string> }; data: Record<string, string> }[] };
  return list.items
    .map((item) => {
      const data = Object.fromEntries(
        Object.entries(item.data).map(([key, value]) => {
          try {
            return [key, JSON.parse(value) as unknown];
          } catch {
            return [key, value];
          }
        }),
      );
      return configMapIdentity(item.metadata.name, { labels: item.metadata.labels, data });
    })
    .sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
}

async function run(recording: Recording): Promise<void> {
  const ns = recording.namespace;
  await freshNamespace(cluster, ns);
  simulator.clearRequests();
  for (const object of recording.objects) {
    const applied = await kubectl(cluster, ['apply', '-n', ns, '-f', '-'], {
      input: JSON.stringify(recordedManifest(object, ns, simulator.url)),
    });
    expect(applied.stderr, `${object.kind} ${object.name}`).toBe('');
  }
  for (const object of recording.objects) {
    const ready = await waitReady(cluster, ns, resourceOf(object.kind, object.name), '60s');
    expect(ready.stderr, `${object.kind} ${object.name} Ready`).toBe('');
  }

  // What was sent to APIM.
  const expected = recording.apimWrites.map((w) => {
    const { method, path } = splitCall(w.call);
    return JSON.stringify(identity(method, path, w.body));
  });
  expect(distinct(writes(false)), 'APIM writes').toEqual(distinct(expected));

  // What statuses record of APIM's ids (where upstream recorded some).
  for (const object of recording.objects) {
    const recorded = statusIdentity(object.status);
    if (!recorded['id'] && !recorded['crossId']) continue;
    const ours = await getJson<{ status?: Record<string, unknown> }>(cluster, ns, resourceOf(object.kind, object.name));
    const mine = statusIdentity(ours?.status);
    const compared = Object.fromEntries(Object.keys(recorded).map((key) => [key, mine[key]]));
    expect(compared, `status of ${object.kind} ${object.name}`).toEqual(recorded);
  }

  // What gateways read. Where upstream's definition names no id (a v4 API with a context, which it
  // deploys under no id at all), this operator's APIM ids are not compared: see the README's
  // differences from upstream.
  const recordedMaps = Object.entries(recording.configMaps)
    .map(([name, map]: [string, RecordedConfigMap]) => configMapIdentity(name, map))
    .sort((a, b) => String(a['name']).localeCompare(String(b['name'])));
  const ours = await localConfigMaps(ns);
  expect(
    ours.map((map, i) => within(map, recordedMaps[i])),
    'ConfigMaps',
  ).toEqual(recordedMaps);

  // And what deleting everything removes from APIM.
  simulator.clearRequests();
  for (const object of [...recording.objects].reverse())
    await kubectlOk(cluster, ['delete', '-n', ns, resourceOf(object.kind, object.name), '--timeout=60s']);
  const expectedDeletes = recording.apimWritesOnDelete.map((w) => {
    const { method, path } = splitCall(w.call);
    return JSON.stringify(identity(method, path, null));
  });
  await eventually('the deletes', () => writes(true).length >= new Set(expectedDeletes).size || undefined);
  expect(distinct(writes(true)), 'APIM deletes').toEqual(distinct(expectedDeletes));
}

describe.skipIf(recordings.length === 0)("identities, compared with upstream's recorded runs", () => {
  beforeAll(async () => {
    await installCrds(cluster);
    simulator = await startSimulator({ tokens: recordedTokens(recordings) });
    const namespaces = [...new Set(recordings.map((r) => r.namespace))];
    operator = await startOperator(cluster, {
      env: { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: namespaces.join(',') },
    });
  });
  afterAll(async () => {
    await operator?.stop();
    operator = undefined;
    await simulator?.stop();
  });

  for (const recording of recordings) it(`${recording.name}: ${recording.case}`, () => run(recording));
});

// Take-over

let token = '';
/** Each recorded example's APIM: upstream ran each alone (their context paths may be the same). */
const apims = new Map<string, Simulator>();
const replays: { call: string; status: number; message: string }[] = [];
/** The resourceVersion of every ConfigMap upstream wrote, as left. */
const configMapVersions = new Map<string, string>();
const env = (): EnvironmentState => simulator.state.environment('DEFAULT', 'DEFAULT')!;

/** One change per kind, to a field every object of the kind has (or may have). */
const CHANGES: Record<string, (spec: Record<string, unknown>) => Record<string, unknown>> = {
  ApiV4Definition: (spec) => ({ ...spec, description: 'changed after the take-over' }),
  ApiDefinition: (spec) => ({ ...spec, description: 'changed after the take-over' }),
  Application: (spec) => ({ ...spec, description: 'changed after the take-over' }),
  SharedPolicyGroup: (spec) => ({ ...spec, description: 'changed after the take-over' }),
  Dictionary: (spec) => ({ ...spec, description: 'changed after the take-over' }),
  Group: (spec) => ({ ...spec, notifyMembers: !spec['notifyMembers'] }),
  Subscription: (spec) => ({ ...spec, endingAt: '2041-06-30T12:00:00Z' }),
};

const apimWrites = (of = simulator) => of.requests().filter((r) => r.method !== 'GET');
const writeIdentity = (r: { method: string; path: string; body?: unknown }) =>
  JSON.stringify(identity(r.method, r.path, r.body as Record<string, unknown> | undefined));

async function configMapVersion(namespace: string, name: string): Promise<string | undefined> {
  const found = await getJson<{ metadata: { resourceVersion: string } }>(cluster, namespace, `configmap/${name}`);
  return found?.metadata.resourceVersion;
}

/** APIM (a simulator of its own), the objects and the ConfigMaps as upstream left them for one example. */
async function leaveRecording(recording: Recording): Promise<void> {
  const ns = recording.namespace;
  const apim = await startSimulator({ tokens: recordedTokens(recordings) });
  apims.set(recording.name, apim);
  await freshNamespace(cluster, ns);
  for (const write of recording.apimWrites.filter((w) => w.status < 300)) {
    const { method, path } = splitCall(write.call);
    const status = await replay(apim.url, token, method, path, write.body);
    replays.push({
      call: `${recording.name}: ${write.call}`,
      status,
      message: status < 300 ? '' : JSON.stringify(apim.requests().at(-1)),
    });
  }
  const uids = new Map<string, { kind: string; uid: string }>();
  for (const object of recording.objects) {
    const { uid } = await leaveAsUpstream(cluster, object, ns, apim.url);
    if (object.kind === 'ApiDefinition' || object.kind === 'ApiV4Definition')
      uids.set(object.name, { kind: object.kind, uid });
  }
  for (const [name, recorded] of Object.entries(recording.configMaps)) {
    const owner = uids.get(name);
    if (!owner) continue;
    await kubectlOk(cluster, ['create', '-f', '-'], {
      input: JSON.stringify(upstreamConfigMap(name, ns, recorded, owner)),
    });
    configMapVersions.set(`${ns}/${name}`, (await configMapVersion(ns, name))!);
  }
  apim.clearRequests();
}

/**
 * Applies the change and waits until the object is synchronised at its new generation; the request
 * log then holds what the change caused.
 */
async function change(ns: string, object: Pick<RecordedObject, 'kind' | 'name'>): Promise<void> {
  simulator.clearRequests();
  const resource = resourceOf(object.kind, object.name);
  const stored = (await getJson<{ spec: Record<string, unknown>; metadata: { generation: number } }>(
    cluster,
    ns,
    resource,
  ))!;
  const patch = { spec: CHANGES[object.kind]!(stored.spec) };
  await kubectlOk(cluster, ['patch', resource, '-n', ns, '--type=merge', '-p', JSON.stringify(patch)]);
  const generation = stored.metadata.generation + 1;
  await kubectlOk(cluster, [
    'wait',
    `--for=jsonpath={.status.observedGeneration}=${generation}`,
    '--timeout=60s',
    '-n',
    ns,
    resource,
  ]);
  expect((await waitReady(cluster, ns, resource)).stderr, `${object.kind} ${object.name} Ready`).toBe('');
}

/** The active subscriptions, by what identifies them and the keys they hold. */
function activeSubscriptions(): unknown[] {
  return [...env().subscriptions.values()].flatMap((map) =>
    [...map.values()].map(({ id, hrid, apiHrid, applicationHrid, planHrid, apiKeys }) => ({
      id,
      hrid,
      apiHrid,
      applicationHrid,
      planHrid,
      apiKeys,
    })),
  );
}

function planIds(): string[] {
  return [
    ...[...env().apis.values()].flatMap((api) => (api.plans ?? []).map((p) => `${api.id}/${p.id}`)),
    ...[...env().v2Apis.values()].flatMap((api) => (api.definition.plans ?? []).map((p) => `${api.status.id}/${p.id}`)),
  ].sort();
}

// Recordings run in rounds of distinct namespaces (ids are hashed from namespaces: each case keeps its own).
const rounds: Recording[][] = [];
for (const recording of recordings) {
  const round = rounds.find((r) => !r.some((other) => other.namespace === recording.namespace));
  if (round) round.push(recording);
  else rounds.push([recording]);
}

async function stopApims(): Promise<void> {
  for (const apim of apims.values()) await apim.stop();
  apims.clear();
}

describe.skipIf(recordings.length === 0)("taking over from upstream's recorded state", () => {
  beforeAll(async () => {
    await installCrds(cluster);
    token = recordedTokens(recordings)[0]!;
  });
  afterAll(async () => {
    await operator?.stop();
    operator = undefined;
    await stopApims();
  });

  for (const [index, round] of rounds.entries()) {
    describe(`round ${index + 1}`, () => {
      beforeAll(async () => {
        await operator?.stop();
        operator = undefined;
        await stopApims();
        replays.length = 0;
        configMapVersions.clear();
        for (const recording of round) await leaveRecording(recording);
        operator = await startOperator(cluster, {
          env: { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: round.map((r) => r.namespace).join(',') },
        });
      });

      it('APIM accepts every write upstream made', () => {
        expect(replays.filter((r) => r.status >= 300)).toEqual([]);
      });

      it('takes every object over with no APIM write and no ConfigMap rewrite', async () => {
        for (const recording of round)
          for (const object of recording.objects) {
            const ready = await waitReady(cluster, recording.namespace, resourceOf(object.kind, object.name));
            expect(ready.stderr, `${recording.name}: ${object.kind} ${object.name} Ready`).toBe('');
          }
        for (const [name, apim] of apims)
          expect(
            apimWrites(apim).map((r) => `${r.method} ${r.path}`),
            name,
          ).toEqual([]);
        for (const [key, version] of configMapVersions) {
          const [ns, name] = key.split('/') as [string, string];
          expect(await configMapVersion(ns, name), `ConfigMap ${key}`).toBe(version);
        }
      });

      for (const recording of round) {
        it(`${recording.name}: one change per object is one write, under upstream's ids`, async () => {
          simulator = apims.get(recording.name)!;
          const ns = recording.namespace;
          const recorded = new Set(
            recording.apimWrites.map((w) => {
              const { method, path } = splitCall(w.call);
              return JSON.stringify(identity(method, path, w.body));
            }),
          );
          for (const object of recording.objects.filter((o) => CHANGES[o.kind])) {
            const plans = planIds();
            const subscriptions = activeSubscriptions();
            const versionBefore = await configMapVersion(ns, object.name);
            await change(ns, object);

            const writes = apimWrites();
            const upstreamWrote = recording.apimWrites.some((w) => {
              const body = w.body ?? {};
              return body['hrid'] === `${ns}-${object.name}` || (body['id'] && body['id'] === object.status?.['id']);
            });
            expect(writes.length, `${object.kind} ${object.name}: APIM writes`).toBe(upstreamWrote ? 1 : 0);
            for (const write of writes)
              expect(recorded.has(writeIdentity(write)), `${object.kind} ${object.name}: ${writeIdentity(write)}`).toBe(
                true,
              );
            expect(planIds(), 'plans').toEqual(plans);
            expect(activeSubscriptions(), 'subscriptions').toEqual(subscriptions);
            expect(env().closedSubscriptions.size, 'closed subscriptions').toBe(0);
            if (recording.configMaps[object.name]) {
              const version = await configMapVersion(ns, object.name);
              expect(version, `ConfigMap ${object.name} rewritten`).not.toBe(versionBefore);
              const definition = JSON.parse(
                (await getJson<{ data: Record<string, string> }>(cluster, ns, `configmap/${object.name}`))!.data[
                  'definition'
                ]!,
              ) as { id: string };
              const upstream = recording.configMaps[object.name]!.data['definition'] as { id?: string };
              if (upstream.id) expect(definition.id, `ConfigMap ${object.name} API id`).toBe(upstream.id);
            }
          }
        });
      }
    });
  }
});

describe.skipIf(recordings.length === 0)('taking over an API upstream synchronised before HRIDs existed', () => {
  const apiRecording = recordings.find((r) => r.name === 'v4-api-key-plan');
  const appRecording = recordings.find((r) => r.name === 'application');
  const ns = `takeover-legacy-${Date.now().toString(36)}`;
  const legacyId = randomUUID();
  const crossId = randomUUID();
  const planId = randomUUID();
  const key = `custom-${randomUUID().replaceAll('-', '')}`;
  const automation = '/automation/organizations/DEFAULT/environments/DEFAULT';
  const condition = (type: string) => ({
    type,
    status: 'True',
    reason: type,
    message: '',
    observedGeneration: 1,
    lastTransitionTime: '2025-01-01T00:00:00Z',
  });
  const upstreamMarks = (finalizer: string) => ({
    annotations: { 'gravitee.io/last-spec-hash': 'recorded-by-upstream' },
    finalizers: [`finalizers.gravitee.io/${finalizer}`],
  });

  beforeAll(async () => {
    await installCrds(cluster);
    simulator = await startSimulator({ tokens: recordedTokens(recordings) });
    token = recordedTokens(recordings)[0]!;
    await kubectlOk(cluster, ['create', 'namespace', ns]);
    const context = apiRecording!.objects.find((o) => o.kind === 'ManagementContext')!;
    const api = apiRecording!.objects.find((o) => o.kind === 'ApiV4Definition')!;
    const app = appRecording!.objects.find((o) => o.kind === 'Application')!;
    const planKey = Object.keys(api.spec['plans'] as object)[0]!;
    const contextRef = { name: context.name, namespace: ns };

    // APIM as upstream left it: the API by its UUID, with its crossId and plan id, as upstream sends
    // an API known by UUID; the application by HRID; a subscription under the API's UUID, naming the
    // plan by id, with a key of its own.
    const apiBody = apiRecording!.apimWrites[0]!.body!;
    const plans = (apiBody['plans'] as Record<string, unknown>[]).map((p) => ({ ...p, id: planId }));
    const legacyBody = { ...apiBody, hrid: legacyId, crossId, plans };
    expect(
      await replay(simulator.url, token, 'PUT', `${automation}/apis`, legacyBody, { hridContainsUUID: 'true' }),
    ).toBe(200);
    const appBody = { ...appRecording!.apimWrites[0]!.body!, hrid: `${ns}-${app.name}` };
    expect(await replay(simulator.url, token, 'PUT', `${automation}/applications`, appBody)).toBe(200);
    const subscriptionBody = {
      hrid: `${ns}-keyed`,
      apiHrid: legacyId,
      applicationHrid: `${ns}-${app.name}`,
      planHrid: planId,
      status: '',
      startingAt: '',
      apiKeys: [{ key }],
    };
    const flags = { hridContainsUUID: 'false', hridContainsApiUUID: 'true', hridContainsAppUUID: 'false' };
    expect(
      await replay(
        simulator.url,
        token,
        'PUT',
        `${automation}/apis/${legacyId}/subscriptions`,
        subscriptionBody,
        flags,
      ),
    ).toBe(200);
    const subscriptionId = env().subscriptions.get(legacyId)!.get(`${ns}-keyed`)!.id!;

    const objects: RecordedObject[] = [
      { ...context, uid: '', status: { conditions: [condition('Accepted')] } },
      {
        ...api,
        uid: '',
        ...upstreamMarks('apidefinitiondeletion'),
        spec: { ...api.spec, contextRef },
        status: {
          id: legacyId,
          crossId,
          organizationId: 'DEFAULT',
          environmentId: 'DEFAULT',
          state: 'STARTED',
          plans: { [planKey]: planId },
          processingStatus: 'Completed',
          conditions: [condition('Accepted'), condition('ResolvedRefs')],
        },
      },
      {
        ...app,
        uid: '',
        ...upstreamMarks('applicationdeletion'),
        spec: { ...app.spec, contextRef },
        status: {
          ...app.status,
          conditions: [condition('Accepted'), condition('ResolvedRefs'), condition('AutomationAPIManaged')],
        },
      },
      {
        kind: 'Subscription',
        name: 'keyed',
        uid: '',
        ...upstreamMarks('subscriptions'),
        spec: { api: { name: api.name }, application: { name: app.name }, plan: planKey, apiKeys: [{ key }] },
        status: {
          id: subscriptionId,
          processingStatus: 'Completed',
          conditions: [condition('AutomationAPIManaged'), condition('Accepted'), condition('ResolvedRefs')],
        },
      },
    ];
    for (const object of objects) await leaveAsUpstream(cluster, object, ns, simulator.url);
    simulator.clearRequests();
    operator = await startOperator(cluster, { env: { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: ns } });
  });
  afterAll(async () => {
    await operator?.stop();
    await simulator?.stop();
  });

  it('is taken over with no write, known by its UUID', async () => {
    for (const resource of ['apiv4definition', 'application', 'subscription'].map((kind) => `${kind}.gravitee.io`)) {
      const ready = await kubectl(cluster, [
        'wait',
        '--for=condition=Ready',
        '--all',
        '--timeout=60s',
        '-n',
        ns,
        resource,
      ]);
      expect(ready.stderr).toBe('');
    }
    expect(apimWrites()).toEqual([]);
    expect(
      simulator
        .requests()
        .some((r) => r.path === `${automation}/apis/${legacyId}` && r.query['hridContainsUUID'] === 'true'),
    ).toBe(true);
  });

  it('keeps its plan, and the subscription with its own key, through a change of the API', async () => {
    const api = apiRecording!.objects.find((o) => o.kind === 'ApiV4Definition')!;
    await change(ns, api);
    const writes = apimWrites();
    expect(writes.map((w) => `${w.method} ${w.path} ${JSON.stringify(w.query)}`)).toEqual([
      `PUT ${automation}/apis {"hridContainsUUID":"true"}`,
    ]);
    const body = writes[0]!.body as { hrid: string; crossId: string; plans: { id: string }[] };
    expect({ hrid: body.hrid, crossId: body.crossId, plans: body.plans.map((p) => p.id) }).toEqual({
      hrid: legacyId,
      crossId,
      plans: [planId],
    });
    expect(
      env()
        .apis.get(legacyId)
        ?.plans?.map((p) => p.id),
    ).toEqual([planId]);
    expect(env().closedSubscriptions.size).toBe(0);
    expect(env().subscriptions.get(legacyId)?.get(`${ns}-keyed`)?.apiKeys).toEqual([{ key }]);
  });

  it('names the plan by its id when the subscription changes', async () => {
    await change(ns, { kind: 'Subscription', name: 'keyed' });
    const writes = apimWrites();
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`PUT ${automation}/apis/${legacyId}/subscriptions`]);
    expect(writes[0]!.query).toMatchObject({ hridContainsApiUUID: 'true' });
    expect(writes[0]!.body).toMatchObject({ hrid: `${ns}-keyed`, planHrid: planId, apiKeys: [{ key }] });
    expect(env().closedSubscriptions.size).toBe(0);
    await eventually('the status', async () => {
      const status = (await getJson<{ status: { id?: string } }>(cluster, ns, 'subscription.gravitee.io/keyed'))
        ?.status;
      return status?.id ? status : undefined;
    });
  });
});
