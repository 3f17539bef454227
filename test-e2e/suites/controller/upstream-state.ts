// Objects of upstream's recorded runs, made into manifests for this cluster and this simulator.
import type { ControlPlaneInfo } from '../../src/index.ts';
import { kubectl, kubectlOk, patchStatus } from '../../src/index.ts';
import type { RecordedObject, Recording } from '../../src/upstream-recordings.ts';
import { GV } from './fixtures.ts';

/** The bearer tokens the recorded contexts authenticate with, for the simulator to accept. */
export function recordedTokens(recordings: Recording[]): string[] {
  const tokens = recordings.flatMap((r) =>
    r.objects
      .filter((o) => o.kind === 'ManagementContext')
      .map((o) => (o.spec['auth'] as { bearerToken?: string } | undefined)?.bearerToken)
      .filter((t): t is string => !!t),
  );
  return [...new Set(tokens)];
}

export interface ManifestOptions {
  /**
   * As upstream left the object: its annotations and finalizers (the status, patched separately,
   * then holds the ids, the uid-derived one of a v2 API included).
   */
  asLeft?: boolean;
}

/**
 * A recorded object as a manifest: its stored spec, in the namespace it ran in, its context pointed
 * at this simulator. A v2 API without an id in its spec was given its uid as id by upstream; a test
 * cluster cannot give an object a chosen uid, so that uid is put in spec.id, which upstream (and this
 * operator) read before the uid.
 */
export function recordedManifest(
  object: RecordedObject,
  namespace: string,
  simulatorUrl: string,
  options: ManifestOptions = {},
): Record<string, unknown> {
  const spec = structuredClone(object.spec);
  if (object.kind === 'ManagementContext') spec['baseUrl'] = simulatorUrl;
  const uidAsId = !options.asLeft && object.kind === 'ApiDefinition' && object.status?.['id'] === object.uid;
  if (uidAsId && !spec['id']) spec['id'] = object.uid;
  return {
    apiVersion: GV,
    kind: object.kind,
    metadata: {
      name: object.name,
      namespace,
      ...(options.asLeft && object.annotations ? { annotations: object.annotations } : {}),
      ...(options.asLeft && object.finalizers ? { finalizers: object.finalizers } : {}),
    },
    spec,
  };
}

/**
 * An empty namespace of that name: one left by an earlier case is emptied of our objects (finalizers
 * released: no operator watches it any more) and of gateway ConfigMaps. (Test clusters run no
 * namespace controller: a deleted namespace would never go.)
 */
export async function freshNamespace(cluster: ControlPlaneInfo, name: string): Promise<void> {
  const existing = await kubectl(cluster, ['get', 'namespace', name, '-o', 'name']);
  if (existing.code !== 0) {
    await kubectlOk(cluster, ['create', 'namespace', name]);
    return;
  }
  const left = (await kubectlOk(cluster, ['get', 'gravitee', '-n', name, '-o', 'name'])).split('\n').filter(Boolean);
  for (const object of left)
    await kubectl(cluster, ['patch', object, '-n', name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  await kubectlOk(cluster, ['delete', 'gravitee', '--all', '-n', name, '--timeout=60s']);
  await kubectlOk(cluster, ['delete', 'configmaps', '-l', 'managed-by=gravitee.io', '-n', name, '--timeout=60s']);
}

/** Sends a write to the simulator as upstream's operator sent it (its query flags given apart). */
export async function replay(
  simulatorUrl: string,
  token: string,
  method: string,
  path: string,
  body: unknown,
  query: Record<string, string> = {},
): Promise<number> {
  const url = new URL(path, simulatorUrl);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Leaves an object as upstream's operator left it: applied with its annotations and finalizers, then
 * its status written as recorded. Conditions are made to observe the generation the object has here
 * (kube-apiserver numbers generations afresh): upstream left them observing the spec it synchronised.
 */
export async function leaveAsUpstream(
  cluster: ControlPlaneInfo,
  object: RecordedObject,
  namespace: string,
  simulatorUrl: string,
): Promise<{ uid: string; generation: number }> {
  const manifest = recordedManifest(object, namespace, simulatorUrl, { asLeft: true });
  await kubectlOk(cluster, ['apply', '-n', namespace, '-f', '-'], { input: JSON.stringify(manifest) });
  const resource = `${object.kind.toLowerCase()}.gravitee.io/${object.name}`;
  const stored = JSON.parse(await kubectlOk(cluster, ['get', resource, '-n', namespace, '-o', 'json'])) as {
    metadata: { uid: string; generation: number };
  };
  if (object.status) {
    const conditions = (object.status['conditions'] as Record<string, unknown>[] | undefined)?.map((c) => ({
      ...c,
      observedGeneration: stored.metadata.generation,
    }));
    await patchStatus(cluster, namespace, resource, { ...object.status, ...(conditions ? { conditions } : {}) });
  }
  return stored.metadata;
}

/** A local-mode ConfigMap as upstream wrote it, owned by its API. */
export function upstreamConfigMap(
  name: string,
  namespace: string,
  recorded: { labels: Record<string, string>; data: Record<string, unknown> },
  owner: { kind: string; uid: string },
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: recorded.labels,
      ownerReferences: [{ apiVersion: GV, kind: owner.kind, name, uid: owner.uid }],
    },
    data: Object.fromEntries(
      Object.entries(recorded.data).map(([key, value]) => [
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]),
    ),
  };
}
