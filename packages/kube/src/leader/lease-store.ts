// Where the leader-election Lease is kept: a coordination.k8s.io/v1 Lease in the Kubernetes API in
// production, memory in unit tests. Every write carries the resourceVersion that was read, so that of
// two replicas writing at once, one gets a conflict instead of both believing they lead.
import { apiRequest, KubeApiError, type ApiRequest } from '../client/api-request.ts';
import type { KubeConnection } from '../client/connection.ts';

/** The spec of a Lease, and the version it was read at. Times are RFC 3339 MicroTime strings. */
export interface LeaseRecord {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
  resourceVersion?: string;
}

export interface LeaseStore {
  /** The Lease, or undefined when there is none. */
  get(): Promise<LeaseRecord | undefined>;
  /** Creates the Lease; throws LeaseConflictError if it exists already. */
  create(record: LeaseRecord): Promise<LeaseRecord>;
  /** Replaces the Lease; throws LeaseConflictError unless record.resourceVersion is still current. */
  update(record: LeaseRecord): Promise<LeaseRecord>;
}

/** Someone else wrote the Lease since it was read: they won the race. */
export class LeaseConflictError extends Error {
  override name = 'LeaseConflictError';
}

/** A time as Kubernetes writes a MicroTime: RFC 3339 with six fractional digits, in UTC. */
export function formatMicroTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/Z$/, '000Z');
}

export interface KubernetesLeaseStoreOptions {
  /** Bound on each call to the API server (default 5 s): a hung call must not outlast a renew deadline. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** A Lease as JSON on the wire; the fields this store does not manage are kept as they were read. */
interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    [field: string]: unknown;
  };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
    [field: string]: unknown;
  };
}

function toRecord(lease: Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTime: spec.acquireTime,
    renewTime: spec.renewTime,
    leaseTransitions: spec.leaseTransitions,
    resourceVersion: lease.metadata?.resourceVersion,
  };
}

export function kubernetesLeaseStore(
  connection: KubeConnection,
  namespace: string,
  name: string,
  options: KubernetesLeaseStoreOptions = {},
): LeaseStore {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const path = `${collection}/${encodeURIComponent(name)}`;
  // The Lease as last seen, so that a replace keeps what this store does not manage (labels,
  // annotations, spec fields of newer API versions) instead of wiping it.
  let last: Lease | undefined;

  const toLease = (record: LeaseRecord): Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace,
      labels: last?.metadata?.labels,
      annotations: last?.metadata?.annotations,
      resourceVersion: record.resourceVersion,
    },
    spec: {
      ...last?.spec,
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      acquireTime: record.acquireTime,
      renewTime: record.renewTime,
      leaseTransitions: record.leaseTransitions,
    },
  });

  const call = async (verb: string, request: ApiRequest): Promise<LeaseRecord> => {
    try {
      last = await apiRequest<Lease>(connection, { ...request, timeoutMs });
      return toRecord(last);
    } catch (error) {
      const what = `${verb} lease ${namespace}/${name}`;
      // 404 on a write: the Lease that was read is gone, which is a lost race too.
      if (error instanceof KubeApiError && (error.status === 409 || (error.status === 404 && verb !== 'read')))
        throw new LeaseConflictError(`${what}: changed by someone else (${error.status})`, { cause: error });
      if ((error as { name?: string } | null)?.name === 'TimeoutError')
        throw new Error(`${what}: no answer within ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  };

  return {
    async get() {
      try {
        return await call('read', { method: 'GET', path });
      } catch (error) {
        if (error instanceof KubeApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    create(record) {
      return call('create', {
        method: 'POST',
        path: collection,
        body: toLease({ ...record, resourceVersion: undefined }),
      });
    },
    update(record) {
      return call('replace', { method: 'PUT', path, body: toLease(record) });
    },
  };
}
