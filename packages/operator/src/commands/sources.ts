// The inputs the commands share: manifests from paths or standard input, the default namespace, and,
// with --cluster, what the cluster holds around them (read-only), plus the context named by --context.
import type { KubeObject } from '@gko/webhook/offline';
import { loadKubeConnection } from '@gko/kube';
import { clusterObjects } from './cluster.ts';
import { parseObjectName, UsageError, type CommandIo } from './io.ts';
import { readManifests, type ManifestItem } from './manifests.ts';

/** The flags every command that reads manifests takes. */
export const SOURCE_OPTIONS = {
  namespace: { type: 'string', short: 'n', default: 'default' },
  cluster: { type: 'boolean', default: false },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
} as const;

export const SOURCE_USAGE = `  -n, --namespace NS   namespace of objects that name none (default: default)
  --cluster            also read what the manifests refer to from the cluster (read-only)
  --kubeconfig FILE    the cluster to read (implies --cluster; default: KUBECONFIG, ~/.kube/config)
  --context NAME       a ManagementContext ([namespace/]name) of the input or the cluster`;

export interface Sources {
  items: ManifestItem[];
  namespace: string;
  /** Objects of the cluster (empty without --cluster). */
  present: KubeObject[];
  context?: { namespace: string; name: string };
}

const named = (o: { kind?: string; metadata?: { namespace?: string; name?: string } }, namespace: string) =>
  `${o.kind ?? ''}/${o.metadata?.namespace || namespace}/${o.metadata?.name ?? ''}`;

export async function loadSources(
  values: Record<string, string | boolean | undefined>,
  paths: string[],
  io: CommandIo,
): Promise<Sources> {
  if (paths.length === 0) throw new UsageError('no manifests given: name files, directories, or - for standard input');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read once only');
  const namespace = String(values['namespace']);
  const items = await readManifests(paths, () => io.stdin());
  let present: KubeObject[] = [];
  if (values['cluster'] || values['kubeconfig']) {
    const kubeconfig = typeof values['kubeconfig'] === 'string' ? values['kubeconfig'] : undefined;
    const connection = await loadKubeConnection(kubeconfig, { env: io.env });
    try {
      present = await clusterObjects(
        connection,
        items.map((i) => i.object as KubeObject),
        namespace,
      );
    } finally {
      await connection.close();
    }
  }
  const sources: Sources = { items, namespace, present };
  if (typeof values['context'] === 'string') {
    const context = parseObjectName(values['context'], namespace);
    const wanted = `ManagementContext/${context.namespace}/${context.name}`;
    const known = [...items.map((i) => i.object as KubeObject), ...present].some((o) => named(o, namespace) === wanted);
    if (!known)
      throw new UsageError(
        `--context: ManagementContext ${context.namespace}/${context.name} is in neither the input${values['cluster'] || values['kubeconfig'] ? ' nor the cluster' : ' (add --cluster to read it from the cluster)'}`,
      );
    sources.context = context;
  }
  return sources;
}
