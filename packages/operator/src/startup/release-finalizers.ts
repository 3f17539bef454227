// `gko-operator --release-finalizers`: run by the chart after `helm uninstall`, once the controllers
// are gone. Our objects stay in the cluster (Helm keeps CRDs) and in APIM, but without a controller
// their finalizers would hold every later delete, and the deletion of their namespaces, forever.
// This removes our finalizers (and only ours), after the last controller has let go of its lease.
import {
  apiRequest,
  collectionPath,
  getObject,
  GRAVITEE_RESOURCES,
  isConflict,
  SECRETS,
  isNotFound,
  loadKubeConnection,
  objectPath,
  type KubeConnection,
  type ResourceType,
} from '@gko/kube';
import { listSetting, podNamespace, type Logger } from '@gko/runtime';
import { DEFAULT_LEASE_NAME } from '../config.ts';

export const OUR_FINALIZER_PREFIX = 'finalizers.gravitee.io/';
const PAGE_SIZE = 500;
const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

interface Item {
  metadata: { name: string; namespace: string; finalizers?: string[]; resourceVersion?: string };
}

interface Lease {
  spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
}

/** Whether a controller still leads: a holder whose lease has not run out. */
export function leaseHeld(lease: Lease | undefined, now: Date): boolean {
  const spec = lease?.spec;
  if (!spec?.holderIdentity || !spec.renewTime) return false;
  return Date.parse(spec.renewTime) + (spec.leaseDurationSeconds ?? 15) * 1000 > now.getTime();
}

/** The finalizers to keep: everyone's but ours. */
export function withoutOurs(finalizers: string[] | undefined): string[] {
  return (finalizers ?? []).filter((f) => !f.startsWith(OUR_FINALIZER_PREFIX));
}

async function waitForNoLeader(
  connection: KubeConnection,
  lease: { namespace: string; name: string },
  logger: Logger,
  timeoutMs: number,
): Promise<void> {
  const path = `/apis/coordination.k8s.io/v1/namespaces/${lease.namespace}/leases/${lease.name}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await apiRequest<Lease>(connection, { method: 'GET', path }).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    if (!leaseHeld(current, new Date())) return;
    if (Date.now() > deadline)
      throw new Error(
        `a controller (${current?.spec?.holderIdentity}) still holds the lease ${lease.namespace}/${lease.name}`,
      );
    logger.info('waiting for the controllers to stop', { holder: current?.spec?.holderIdentity });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Removes our finalizers from one object; re-reads it when it changed meanwhile. */
async function releaseOne(
  connection: KubeConnection,
  resource: ResourceType,
  listed: Item,
  logger: Logger,
): Promise<boolean> {
  const key = { namespace: listed.metadata.namespace, name: listed.metadata.name };
  let item: Item | undefined = listed;
  for (let attempt = 1; item; attempt++) {
    const keep = withoutOurs(item.metadata.finalizers);
    if (keep.length === (item.metadata.finalizers ?? []).length) return false;
    try {
      // The resourceVersion makes the patch fail rather than drop a finalizer added meanwhile.
      await apiRequest(connection, {
        method: 'PATCH',
        path: objectPath(resource, key),
        contentType: 'application/merge-patch+json',
        body: { metadata: { finalizers: keep, resourceVersion: item.metadata.resourceVersion } },
      });
      logger.info('finalizer released', { kind: resource.kind, ...key });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      if (!isConflict(error) || attempt >= 5) throw error;
      item = await getObject<Item & { apiVersion?: string; kind?: string }>(connection, resource, key);
    }
  }
  return false;
}

/** The objects of a collection, metadata only, page by page: a cluster may hold many Secrets. */
async function* listMetadata(
  connection: KubeConnection,
  resource: ResourceType,
  namespace: string | undefined,
  pageSize: number,
): AsyncGenerator<Item> {
  let token: string | undefined;
  do {
    const page = await apiRequest<{ items: Item[] | null; metadata?: { continue?: string } }>(connection, {
      method: 'GET',
      path: collectionPath(resource, namespace),
      query: { limit: pageSize, continue: token },
      accept: METADATA_ONLY,
      timeoutMs: 60_000,
    });
    // A metadata list of nothing says items: null.
    yield* page.items ?? [];
    token = page.metadata?.continue || undefined;
  } while (token);
}

export async function releaseFinalizers(
  connection: KubeConnection,
  options: {
    namespaces: string[];
    lease: { namespace: string; name: string };
    logger: Logger;
    timeoutMs?: number;
    pageSize?: number;
  },
): Promise<number> {
  const { logger } = options;
  await waitForNoLeader(connection, options.lease, logger, options.timeoutMs ?? 120_000);
  const scopes = options.namespaces.length > 0 ? options.namespaces : [undefined];
  let released = 0;
  // Secrets: the finalizer that holds a ManagementContext's credentials.
  for (const resource of [...GRAVITEE_RESOURCES, SECRETS]) {
    for (const namespace of scopes) {
      for await (const item of listMetadata(connection, resource, namespace, options.pageSize ?? PAGE_SIZE)) {
        if (await releaseOne(connection, resource, item, logger)) released++;
      }
    }
  }
  return released;
}

/** The whole command: settings from the environment, as the operator reads them; exits non-zero on failure. */
export async function runReleaseFinalizers(env: Record<string, string | undefined>, logger: Logger): Promise<void> {
  const connection = await loadKubeConnection();
  try {
    const namespace = env['LEADER_ELECTION_NAMESPACE'] || podNamespace(env) || 'default';
    const released = await releaseFinalizers(connection, {
      namespaces: listSetting(env, 'NAMESPACE'),
      lease: { namespace, name: env['LEADER_ELECTION_ID'] || DEFAULT_LEASE_NAME },
      logger,
    });
    logger.info('finalizers released', { count: released });
  } finally {
    await connection.close();
  }
}
