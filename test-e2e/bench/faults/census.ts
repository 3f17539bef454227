// R5: nothing left behind. Over the namespaces a scenario used: no finalizer of ours on an object
// whose deletion was requested, no gateway ConfigMap without its API (garbage collection runs, as in
// a cluster), no API in APIM without its custom resource; once deletions in flight had a minute.
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, collectionPath, CONFIG_MAPS, GRAVITEE_RESOURCES, SECRETS } from '@gko/kube';
import { figure, type Figure, type Scenario } from './scenario.ts';

interface Item {
  kind?: string;
  metadata: {
    name: string;
    deletionTimestamp?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
}

const list = async (scenario: Scenario, path: string) =>
  (await apiRequest<{ items: Item[] }>(scenario.kube, { method: 'GET', path, timeoutMs: 60_000 })).items;

async function heldDeletions(scenario: Scenario, namespaces: string[]): Promise<string[]> {
  const held: string[] = [];
  for (const namespace of namespaces)
    for (const resource of GRAVITEE_RESOURCES)
      for (const item of await list(scenario, collectionPath(resource, namespace)))
        if (
          item.metadata.deletionTimestamp &&
          item.metadata.finalizers?.some((f) => f.startsWith('finalizers.gravitee.io/'))
        )
          held.push(`${resource.kind} ${namespace}/${item.metadata.name}`);
  return held;
}

export async function census(scenario: Scenario, label: string, namespaces: string[]): Promise<Figure[]> {
  // Deletions in flight and garbage collection get a minute to finish.
  let found = await leftBehind(scenario, namespaces);
  for (let waited = 0; waited < 60 && found.held + found.configMaps + found.apis > 0; waited++) {
    await sleep(1000);
    found = await leftBehind(scenario, namespaces);
  }
  return [
    figure(`R5 after ${label}: deletions held by a finalizer of ours`, found.held, '0', found.held === 0),
    figure(`R5 after ${label}: gateway ConfigMaps without their API`, found.configMaps, '0', found.configMaps === 0),
    figure(`R5 after ${label}: APIs in APIM without their custom resource`, found.apis, '0', found.apis === 0),
  ];
}

async function leftBehind(scenario: Scenario, namespaces: string[]) {
  const held = (await heldDeletions(scenario, namespaces)).length;
  let configMaps = 0;
  let apis = 0;
  for (const namespace of namespaces) {
    const names = new Set(
      (await list(scenario, `/apis/gravitee.io/v1alpha1/namespaces/${namespace}/apiv4definitions`)).map(
        (o) => o.metadata.name,
      ),
    );
    for (const configMap of await list(scenario, collectionPath(CONFIG_MAPS, namespace))) {
      if (configMap.metadata.labels?.['managed-by'] !== 'gravitee.io') continue;
      const owner = configMap.metadata.ownerReferences?.find((o) => o.kind === 'ApiV4Definition');
      if (!owner || !names.has(owner.name)) configMaps++;
    }
    for (const hrid of scenario.simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.keys())
      if (hrid.startsWith(`${namespace}-`) && !names.has(hrid.slice(namespace.length + 1))) apis++;
  }
  return { held, configMaps, apis };
}

/**
 * The namespaces deleted whole, with everything in them: each must go (its objects removed from
 * APIM with the credentials its Secret holds until then), and leave nothing in APIM.
 */
export async function namespacesDeleted(
  scenario: Scenario,
  namespaces: string[],
): Promise<{ figures: Figure[]; details: Record<string, unknown> }> {
  const started = performance.now();
  for (const namespace of namespaces)
    await apiRequest(scenario.kube, { method: 'DELETE', path: `/api/v1/namespaces/${namespace}` });
  const exists = async (namespace: string) =>
    apiRequest(scenario.kube, { method: 'GET', path: `/api/v1/namespaces/${namespace}` }).then(
      () => true,
      () => false,
    );
  let left = namespaces;
  while (left.length > 0 && performance.now() - started < 180_000) {
    await sleep(1000);
    left = (await Promise.all(left.map(async (n) => ((await exists(n)) ? n : undefined)))).filter(
      (n): n is string => !!n,
    );
  }
  const apis = [...scenario.simulator.state.environment('DEFAULT', 'DEFAULT')!.apis.keys()].filter((hrid) =>
    namespaces.some((n) => hrid.startsWith(`${n}-`)),
  ).length;
  const seconds = Math.round((performance.now() - started) / 1000);
  // What holds a namespace that did not go, for whoever reads the results.
  const stuck: Record<string, unknown> = {};
  for (const namespace of left) {
    const held: string[] = [];
    for (const resource of [...GRAVITEE_RESOURCES, SECRETS])
      for (const item of await list(scenario, collectionPath(resource, namespace)))
        if (held.length < 5)
          held.push(`${resource.kind} ${item.metadata.name} ${JSON.stringify(item.metadata.finalizers)}`);
    stuck[namespace] = held;
  }
  return {
    figures: [
      figure(`R5 namespaces deleted whole, still there after ${seconds} s`, left.length, '0', left.length === 0),
      figure('R5 APIs of the deleted namespaces left in APIM', apis, '0', apis === 0),
    ],
    details: { namespaces: namespaces.length, seconds, stuck },
  };
}
