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

export async function clusterObjects(
  connection: KubeConnection,
  objects: Named[],
  defaultNamespace: string,
): Promise<KubeObject[]> {
  const withNamespace = objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: o.metadata?.namespace || defaultNamespace },
  }));
  const namespaces = new Set(withNamespace.map((o) => o.metadata.namespace));
  for (const object of withNamespace)
    for (const reference of objectReferences(object)) namespaces.add(reference.namespace);
  const found: KubeObject[] = [];
  for (const namespace of [...namespaces].sort())
    for (const resource of GRAVITEE_RESOURCES) {
      const list = await apiRequest<{ items?: object[] }>(connection, {
        method: 'GET',
        path: collectionPath(resource, namespace),
      });
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
  for (const d of [...wanted.values()].slice(0, MAX_DATA_READS)) {
    const resource = d.kind === 'Secret' ? SECRETS : CONFIG_MAPS;
    const object = await getObject(connection, resource, { namespace: d.namespace, name: d.name });
    if (object) found.push({ ...object, apiVersion: 'v1', kind: d.kind } as KubeObject);
  }
  return found;
}
