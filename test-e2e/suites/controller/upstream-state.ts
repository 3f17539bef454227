// Objects of upstream's recorded runs, made into manifests for this cluster and this simulator.
import type { ControlPlaneInfo } from '../../src/index.ts';
import { kubectl, kubectlOk } from '../../src/index.ts';
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
  /** As upstream left the object: its annotations and finalizers (the status is patched separately). */
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
  if (object.kind === 'ApiDefinition' && !spec['id'] && object.status?.['id'] === object.uid) spec['id'] = object.uid;
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

/** A fresh namespace of that name: one left by an earlier case is deleted first, and waited for. */
export async function recreateNamespace(cluster: ControlPlaneInfo, name: string): Promise<void> {
  const existing = await kubectl(cluster, ['get', 'namespace', name, '-o', 'name']);
  if (existing.code === 0) await kubectlOk(cluster, ['delete', 'namespace', name, '--timeout=120s']);
  await kubectlOk(cluster, ['create', 'namespace', name]);
}
