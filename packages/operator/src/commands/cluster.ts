// What a set of manifests refers to that a cluster already holds, read for the commands that check or
// preview manifests (`--cluster`): the gravitee.io objects of the namespaces involved, and the Secrets
// and ConfigMaps the objects name, one by one. Reads only: nothing is written, watched or cached.
import { objectDependencies, objectReferences } from '@gko/api';
import {
  apiRequest,
  collectionPath,
  CONFIG_MAPS,
  getObject,
  GRAVITEE_RESOURCES,
  isNotFound,
  KubeApiError,
  SECRETS,
  type KubeConnection,
} from '@gko/kube';
import type { KubeObject } from '@gko/webhook/offline';

/** Secrets and ConfigMaps read at most, so that a large set cannot turn into a scan of the cluster. */
const MAX_DATA_READS = 500;

interface Named {
  kind?: string;
  metadata?: { namespace?: string; name?: string };
}

export interface ClusterReading {
  objects: KubeObject[];
  /** What the reading could not cover, for the user to know (a kind without CRD, the read cap). */
  notes: string[];
}

/** A read the cluster refused: said with what was read, so that the missing permission shows. */
function refused(what: string, error: unknown): Error {
  const status = error instanceof KubeApiError ? ` (${error.status}${error.reason ? ` ${error.reason}` : ''})` : '';
  return new Error(`--cluster: cannot read ${what}${status}: ${(error as Error).message}`, { cause: error });
}

export async function clusterObjects(
  connection: KubeConnection,
  objects: Named[],
  defaultNamespace: string,
): Promise<ClusterReading> {
  const withNamespace = objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: o.metadata?.namespace || defaultNamespace },
  }));
  const namespaces = new Set(withNamespace.map((o) => o.metadata.namespace));
  for (const object of withNamespace)
    for (const reference of objectReferences(object)) namespaces.add(reference.namespace);
  const found: KubeObject[] = [];
  const notes: string[] = [];
  const missingKinds = new Set<string>();
  for (const namespace of [...namespaces].sort())
    for (const resource of GRAVITEE_RESOURCES) {
      if (missingKinds.has(resource.kind)) continue;
      let list: { items?: object[] };
      try {
        list = await apiRequest<{ items?: object[] }>(connection, {
          method: 'GET',
          path: collectionPath(resource, namespace),
        });
      } catch (error) {
        // A cluster with older CRDs (or upstream's) may lack a kind: then it holds none of it.
        if (!isNotFound(error)) throw refused(`the ${resource.plural} of namespace ${namespace}`, error);
        missingKinds.add(resource.kind);
        notes.push(`the cluster has no ${resource.kind} kind (its CRD is not installed): none read`);
        continue;
      }
      found.push(
        ...(list.items ?? []).map(
          (item) => ({ ...item, apiVersion: resource.apiVersion, kind: resource.kind }) as KubeObject,
        ),
      );
    }
  const wanted = new Map<string, { kind: string; namespace: string; name: string }>();
  for (const object of [...withNamespace, ...found])
    for (const d of objectDependencies(object))
      if (d.kind === 'Secret' || d.kind === 'ConfigMap') wanted.set(`${d.kind}/${d.namespace}/${d.name}`, d);
  if (wanted.size > MAX_DATA_READS)
    notes.push(
      `${wanted.size} Secrets and ConfigMaps are referred to; the first ${MAX_DATA_READS} were read, the others count as missing`,
    );
  for (const d of [...wanted.values()].slice(0, MAX_DATA_READS)) {
    const resource = d.kind === 'Secret' ? SECRETS : CONFIG_MAPS;
    let object;
    try {
      object = await getObject(connection, resource, { namespace: d.namespace, name: d.name });
    } catch (error) {
      throw refused(`${d.kind} ${d.namespace}/${d.name}`, error);
    }
    if (object) found.push({ ...object, apiVersion: 'v1', kind: d.kind } as KubeObject);
  }
  return { objects: found, notes };
}
