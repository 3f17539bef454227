import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConnection, type KubeConnection } from '../client/connection.ts';
import { formatMicroTime, kubernetesLeaseStore, LeaseConflictError, type LeaseStore } from './lease-store.ts';

const PATH = '/apis/coordination.k8s.io/v1/namespaces/gko/leases';

/** A Lease as JSON on the wire. */
interface LeaseObject {
  metadata?: { resourceVersion?: string } & Record<string, unknown>;
  spec?: Record<string, unknown>;
  [field: string]: unknown;
}

interface Request {
  method: string;
  url: string;
  body: LeaseObject | undefined;
  authorization: string | undefined;
}

/** Just enough of an API server for one Lease: versions checked on writes, as the real one does. */
class FakeApiServer {
  lease: LeaseObject | undefined;
  readonly requests: Request[] = [];
  private version = 100;
  private readonly server: Server = createServer((request, response) => void this.handle(request, response));

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const body = text ? (JSON.parse(text) as LeaseObject) : undefined;
    this.requests.push({
      method: request.method!,
      url: request.url!,
      body,
      authorization: request.headers.authorization,
    });
    // Never answers: a request that hangs.
    if (request.url!.endsWith('/hung')) return;

    const send = (code: number, object: unknown) => {
      response.writeHead(code, { 'content-type': 'application/json' });
      response.end(JSON.stringify(object));
    };
    const status = (code: number, reason: string) =>
      send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code, message: reason });
    const store = (lease: LeaseObject, code: number) => {
      this.lease = { ...lease, metadata: { ...lease.metadata, resourceVersion: String(++this.version) } };
      send(code, this.lease);
    };

    if (request.method === 'GET') return this.lease ? send(200, this.lease) : status(404, 'NotFound');
    if (request.method === 'POST') return this.lease ? status(409, 'AlreadyExists') : store(body!, 201);
    if (request.method === 'PUT') {
      if (!this.lease) return status(404, 'NotFound');
      if (body!.metadata?.resourceVersion !== this.lease.metadata?.resourceVersion) return status(409, 'Conflict');
      return store(body!, 200);
    }
    status(405, 'MethodNotAllowed');
  }
}

describe('kubernetesLeaseStore', () => {
  const api = new FakeApiServer();
  let storeFor: (name: string, timeoutMs?: number) => LeaseStore;
  let folder: string;
  let connection: KubeConnection;

  beforeAll(async () => {
    const server = await api.listen();
    folder = await mkdtemp(join(tmpdir(), 'lease-store-'));
    const kubeconfig = join(folder, 'config');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        clusters: [{ name: 'test', cluster: { server } }],
        users: [{ name: 'test', user: { token: 'secret-token' } }],
        contexts: [{ name: 'test', context: { cluster: 'test', user: 'test' } }],
        'current-context': 'test',
      }),
    );
    connection = await loadKubeConnection(kubeconfig);
    storeFor = (name, timeoutMs) => kubernetesLeaseStore(connection, 'gko', name, timeoutMs ? { timeoutMs } : {});
  });
  afterAll(async () => {
    await api.close();
    await connection.close();
    await rm(folder, { recursive: true, force: true });
  });
  beforeEach(() => {
    api.lease = undefined;
    api.requests.length = 0;
  });

  it('reads an absent Lease as undefined, authenticated as the kubeconfig says', async () => {
    expect(await storeFor('operator').get()).toBeUndefined();
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      url: `${PATH}/operator`,
      authorization: 'Bearer secret-token',
    });
  });

  it('creates the Lease with MicroTime strings, then reads it back', async () => {
    const store = storeFor('operator');
    const time = formatMicroTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(time).toBe('2024-01-02T03:04:05.678000Z');

    const created = await store.create({
      holderIdentity: 'pod-a',
      leaseDurationSeconds: 15,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: 0,
    });
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      url: PATH,
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'operator', namespace: 'gko' },
        spec: { holderIdentity: 'pod-a', leaseDurationSeconds: 15, acquireTime: time, renewTime: time },
      },
    });
    expect(created).toEqual({
      holderIdentity: 'pod-a',
      leaseDurationSeconds: 15,
      acquireTime: time,
      renewTime: time,
      leaseTransitions: 0,
      resourceVersion: '101',
    });
    expect(await store.get()).toEqual(created);
  });

  it('turns a second create into a LeaseConflictError', async () => {
    const store = storeFor('operator');
    await store.create({ holderIdentity: 'pod-a' });
    await expect(store.create({ holderIdentity: 'pod-b' })).rejects.toBeInstanceOf(LeaseConflictError);
  });

  it('replaces with the version read, and reports a stale version as a conflict', async () => {
    const store = storeFor('operator');
    const created = await store.create({ holderIdentity: 'pod-a', leaseTransitions: 0 });
    const updated = await store.update({ ...created, holderIdentity: 'pod-b', leaseTransitions: 1 });
    expect(api.requests.at(-1)).toMatchObject({
      method: 'PUT',
      url: `${PATH}/operator`,
      body: { metadata: { resourceVersion: created.resourceVersion }, spec: { holderIdentity: 'pod-b' } },
    });
    expect(updated).toMatchObject({ holderIdentity: 'pod-b', leaseTransitions: 1 });
    expect(updated.resourceVersion).not.toBe(created.resourceVersion);

    await expect(store.update({ ...created, holderIdentity: 'pod-c' })).rejects.toBeInstanceOf(LeaseConflictError);
  });

  it('reports a write to a Lease deleted meanwhile as a conflict', async () => {
    await expect(storeFor('operator').update({ holderIdentity: 'pod-a', resourceVersion: '7' })).rejects.toThrow(
      LeaseConflictError,
    );
  });

  it('keeps the labels, annotations and unknown spec fields of the Lease when replacing it', async () => {
    const store = storeFor('operator');
    api.lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'operator', namespace: 'gko', resourceVersion: '5', labels: { app: 'gko' } },
      spec: { holderIdentity: 'pod-a', strategy: 'OldestEmulationVersion' },
    };
    const read = (await store.get())!;
    await store.update({ ...read, holderIdentity: 'pod-b' });
    expect(api.requests.at(-1)?.body).toMatchObject({
      metadata: { labels: { app: 'gko' }, resourceVersion: '5' },
      spec: { holderIdentity: 'pod-b', strategy: 'OldestEmulationVersion' },
    });
  });

  it('bounds every call in time', async () => {
    const started = Date.now();
    await expect(storeFor('hung', 150).get()).rejects.toThrow(/read lease gko\/hung: no answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
