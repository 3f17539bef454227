// The same identities as upstream's operator, checked against its recorded runs (see
// src/upstream-recordings.ts): each recorded example is applied, as upstream stored it, into a namespace
// of the same name (ids are hashed from namespaces and names), and what this operator sends to APIM,
// records in statuses and writes for gateways must name the same objects by the same ids: request
// paths, HRIDs, ids and crossIds of APIs, plans and pages, subscription references, ConfigMap names,
// labels and keys, and the ids inside gateway definitions. Then everything is deleted, and the
// deletes must name the same objects too.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSimulator, type Simulator } from '@gko/apim-simulator';
import { installCrds, kubectl, kubectlOk, startOperator, waitReady, type RunningOperator } from '../../src/index.ts';
import {
  configMapIdentity,
  identity,
  loadRecordings,
  recordingsDir,
  splitCall,
  statusIdentity,
  type RecordedConfigMap,
  type Recording,
} from '../../src/upstream-recordings.ts';
import { eventually, getJson } from './fixtures.ts';
import { recordedManifest, recordedTokens, recreateNamespace } from './upstream-state.ts';

const cluster = inject('controlPlane');
const recordings = loadRecordings();
if (recordings.length === 0)
  console.warn(
    `upstream's recorded runs (${recordingsDir()}) not found: conformance with upstream's identities skipped`,
  );

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

beforeAll(async () => {
  if (recordings.length === 0) return;
  await installCrds(cluster);
  simulator = await startSimulator({ tokens: recordedTokens(recordings) });
  const namespaces = [...new Set(recordings.map((r) => r.namespace))];
  operator = await startOperator(cluster, {
    env: { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: namespaces.join(',') },
  });
});
afterAll(async () => {
  await operator?.stop();
  await simulator?.stop();
});

async function run(recording: Recording): Promise<void> {
  const ns = recording.namespace;
  await recreateNamespace(cluster, ns);
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
  for (const recording of recordings) it(`${recording.name}: ${recording.case}`, () => run(recording));
});
