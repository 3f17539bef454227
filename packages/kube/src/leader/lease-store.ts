// Where the leader-election Lease is kept: a coordination.k8s.io/v1 Lease in the Kubernetes API in
// production, memory in unit tests. Every write carries the resourceVersion that was read, so that of
// two replicas writing at once, one gets a conflict instead of both believing they lead.
import {
  ApiException,
  CoordinationV1Api,
  Observable,
  V1MicroTime,
  type ConfigurationOptions,
  type V1Lease,
} from '@kubernetes/client-node';
import type { KubeClient } from '../client/kube-client.ts';

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

/** Per-call options that abort the request, body included, once the deadline passes. */
function deadline(timeoutMs: number): ConfigurationOptions {
  const signal = AbortSignal.timeout(timeoutMs);
  return {
    middleware: [
      {
        pre: (request) => {
          request.setSignal(signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    // Keep the client's own middleware (user agent).
    middlewareMergeStrategy: 'append',
  };
}

// The generated client declares MicroTime fields as dates but, not knowing how to parse them, hands
// over the strings as received; accept both.
function microTimeText(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : formatMicroTime(value.getTime());
}

// A V1MicroTime serialises itself with six fractional digits, as the API server expects.
const microTime = (text: string | undefined) => (text === undefined ? undefined : new V1MicroTime(text));

function toRecord(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    acquireTime: microTimeText(spec.acquireTime),
    renewTime: microTimeText(spec.renewTime),
    leaseTransitions: spec.leaseTransitions,
    resourceVersion: lease.metadata?.resourceVersion,
  };
}

export function kubernetesLeaseStore(
  client: KubeClient,
  namespace: string,
  name: string,
  options: KubernetesLeaseStoreOptions = {},
): LeaseStore {
  const api = client.config.makeApiClient(CoordinationV1Api);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The Lease as last seen, so that a replace keeps what this store does not manage (labels,
  // annotations, spec fields of newer API versions) instead of wiping it.
  let last: V1Lease | undefined;

  const toLease = (record: LeaseRecord): V1Lease => ({
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
      acquireTime: microTime(record.acquireTime),
      renewTime: microTime(record.renewTime),
      leaseTransitions: record.leaseTransitions,
    },
  });

  const call = async (verb: string, send: () => Promise<V1Lease>): Promise<V1Lease> => {
    try {
      last = await send();
      return last;
    } catch (error) {
      const what = `${verb} lease ${namespace}/${name}`;
      // 404 on a write: the Lease that was read is gone, which is a lost race too.
      if (error instanceof ApiException && (error.code === 409 || (error.code === 404 && verb !== 'read')))
        throw new LeaseConflictError(`${what}: changed by someone else (${error.code})`, { cause: error });
      if ((error as { name?: string } | null)?.name === 'TimeoutError')
        throw new Error(`${what}: no answer within ${timeoutMs} ms`, { cause: error });
      throw error;
    }
  };

  return {
    async get() {
      try {
        return toRecord(await call('read', () => api.readNamespacedLease({ name, namespace }, deadline(timeoutMs))));
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(record) {
      const body = toLease({ ...record, resourceVersion: undefined });
      return toRecord(await call('create', () => api.createNamespacedLease({ namespace, body }, deadline(timeoutMs))));
    },
    async update(record) {
      const body = toLease(record);
      return toRecord(
        await call('replace', () => api.replaceNamespacedLease({ name, namespace, body }, deadline(timeoutMs))),
      );
    },
  };
}
