// Waiting on the cluster from the harness without loading it: one informer per resource (a list,
// then a watch), checked in memory. Listing thousands of objects every second to count the Ready
// ones would cost the API server more than the operator being measured.
import { setTimeout as sleep } from 'node:timers/promises';
import { Informer, type KubeConnection, type ResourceType } from '@gko/kube';

type KubernetesObject = ReturnType<Informer['list']>[number];

/** What the harness asked of the API server to follow: `LIST r` and `WATCH r` once per informer. */
export interface HarnessRequests {
  add(key: string, n?: number): void;
}

/**
 * Resolves once `done` holds over the objects of `resources` (by kind), checking every 100 ms;
 * `guard` throws to stop early (the operator died). Rejects after timeoutMs, saying what `describe` says.
 */
export async function followUntil(
  kube: KubeConnection,
  resources: ResourceType[],
  namespace: string | undefined,
  done: (objectsOf: (kind: string) => KubernetesObject[]) => boolean,
  options: { timeoutMs: number; sent?: HarnessRequests; guard?: () => Promise<void>; describe?: () => string },
): Promise<void> {
  // No resync, and watches that outlast any run: the harness's requests stay two per resource.
  const informers = resources.map(
    (resource) =>
      new Informer(kube, resource, { resyncMs: 0, watchSeconds: 7_200, ...(namespace ? { namespace } : {}) }),
  );
  for (const { resource } of informers) {
    options.sent?.add(`LIST ${resource.plural}`);
    options.sent?.add(`WATCH ${resource.plural}`);
  }
  const byKind = new Map(informers.map((i) => [i.resource.kind, i]));
  const objectsOf = (kind: string) => byKind.get(kind)?.list() ?? [];
  const started = performance.now();
  try {
    for (const informer of informers) informer.start();
    await Promise.all(informers.map((i) => i.synced));
    for (;;) {
      await options.guard?.();
      if (done(objectsOf)) return;
      if (performance.now() - started > options.timeoutMs)
        throw new Error(`not done after ${options.timeoutMs} ms${options.describe ? `: ${options.describe()}` : ''}`);
      await sleep(100);
    }
  } finally {
    await Promise.all(informers.map((i) => i.stop()));
  }
}
