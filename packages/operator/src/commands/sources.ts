// The inputs the commands share: manifests from paths or standard input, the default namespace, and,
// with --cluster, what the cluster holds around them (read-only), plus the context named by --context.
import type { KubeObject } from '@gko/webhook/offline';
import { isDeepStrictEqual } from 'node:util';
import { objectDependencies } from '@gko/api';
import { loadKubeConnection } from '@gko/kube';
import { clusterObjects } from './cluster.ts';
import { UsageError, type CommandIo } from './io.ts';
import { readManifests, UnreadableInputError, type ManifestItem } from './manifests.ts';

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

interface Named {
  kind?: string;
  metadata?: { namespace?: string; name?: string };
  spec?: unknown;
}

/** `namespace/name`, or a name in the default namespace. */
export function parseObjectName(value: string, namespace: string): { namespace: string; name: string } {
  const slash = value.indexOf('/');
  return slash < 0 ? { namespace, name: value } : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

const isNamed = (o: Named, kind: string, key: { namespace: string; name: string }, namespace: string) =>
  o.kind === kind && (o.metadata?.namespace || namespace) === key.namespace && o.metadata?.name === key.name;

/**
 * The context APIM is asked through, as `--context` names it. APIM gets that context's credentials:
 * credentials kept in the cluster are never sent to a target the input sets. So a context the input
 * changes is refused, and one only the input has gets no Secret of the cluster.
 */
function contextToConsult(
  value: string,
  sources: Sources,
  clusterRead: boolean,
): { context: { namespace: string; name: string }; present: KubeObject[] } {
  const context = parseObjectName(value, sources.namespace);
  const shown = `ManagementContext ${context.namespace}/${context.name}`;
  const inInput = sources.items
    .map((i) => i.object as Named)
    .filter((o) => isNamed(o, 'ManagementContext', context, sources.namespace))
    .at(-1);
  const inCluster = sources.present.find((o) => isNamed(o, 'ManagementContext', context, sources.namespace));
  if (!inInput && !inCluster)
    throw new UsageError(
      `--context: ${shown} is in neither the input${clusterRead ? ' nor the cluster' : ' (add --cluster to read it from the cluster)'}`,
    );
  if (!inInput || !inCluster) {
    // Only the input has it: its credentials must come from the input too.
    const own = inInput ? new Set(secretsOf(inInput, context.namespace)) : new Set<string>();
    return { context, present: sources.present.filter((o) => !own.has(keyOf(o))) };
  }
  if (!isDeepStrictEqual(inInput.spec, inCluster.spec))
    throw new UsageError(
      `--context: the input changes ${shown}; APIM is not asked with the cluster's credentials through a context the input changes (run without --context, or with the cluster's copy of it)`,
    );
  return { context, present: sources.present };
}

const keyOf = (o: Named) => `${o.kind ?? ''}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

function secretsOf(context: Named, namespace: string): string[] {
  const withNamespace = { ...context, metadata: { ...context.metadata, namespace } };
  return objectDependencies(withNamespace as Parameters<typeof objectDependencies>[0])
    .filter((d) => d.kind === 'Secret')
    .map((d) => `Secret/${d.namespace}/${d.name}`);
}

export async function loadSources(
  values: Record<string, string | boolean | undefined>,
  paths: string[],
  io: CommandIo,
): Promise<Sources> {
  if (paths.length === 0) throw new UsageError('no manifests given: name files, directories, or - for standard input');
  if (paths.filter((p) => p === '-').length > 1) throw new UsageError('standard input (-) can be read once only');
  const namespace = String(values['namespace']);
  if (!namespace) throw new UsageError('--namespace: give a namespace');
  const items = await readManifests(paths, () => io.stdin());
  if (items.length === 0) throw new UnreadableInputError(`no objects in ${paths.join(' ')}`);
  const clusterRead = !!(values['cluster'] || values['kubeconfig']);
  let present: KubeObject[] = [];
  if (clusterRead) {
    const kubeconfig = typeof values['kubeconfig'] === 'string' ? values['kubeconfig'] : undefined;
    const connection = await loadKubeConnection(kubeconfig, { env: io.env });
    try {
      const read = await clusterObjects(
        connection,
        items.map((i) => i.object as KubeObject),
        namespace,
      );
      present = read.objects;
      for (const note of read.notes) io.err(`note: ${note}\n`);
    } finally {
      await connection.close();
    }
  }
  const sources: Sources = { items, namespace, present };
  if (typeof values['context'] !== 'string') return sources;
  const { context, present: kept } = contextToConsult(values['context'], sources, clusterRead);
  return { ...sources, present: kept, context };
}
