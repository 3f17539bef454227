// For the unit tests of the controller: a cache of objects given by hand, whose indexes are the
// functions installed on it, evaluated over its objects at each lookup; and an API server that takes
// every write, for the code that writes status and metadata.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesObject } from '@kubernetes/client-node';
import { connectionFor, type KubeConnection } from '@gko/kube';
import type { IndexedCache } from './dependencies/users.ts';
import type { CacheReader } from './reconcile/contract.ts';

export class FakeCache implements CacheReader, IndexedCache {
  readonly indexes = new Map<string, (object: KubernetesObject) => string[]>();
  private readonly objects: KubernetesObject[];

  constructor(objects: KubernetesObject[]) {
    this.objects = objects;
  }

  addIndex(kind: string, name: string, values: (object: KubernetesObject) => string[]): void {
    this.indexes.set(`${kind}/${name}`, values);
  }

  /** Adds the object, or replaces the one of the same kind, namespace and name. */
  put(object: KubernetesObject): void {
    this.remove(object.kind ?? '', object.metadata?.namespace ?? '', object.metadata?.name ?? '');
    this.objects.push(object);
  }

  remove(kind: string, namespace: string, name: string): void {
    const index = this.objects.indexOf(this.get(kind, namespace, name)!);
    if (index >= 0) this.objects.splice(index, 1);
  }

  get(kind: string, namespace: string, name: string): KubernetesObject | undefined {
    return this.objects.find(
      (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
  }

  list(kind: string, namespace?: string): KubernetesObject[] {
    return this.objects.filter(
      (o) => o.kind === kind && (namespace === undefined || o.metadata?.namespace === namespace),
    );
  }

  byIndex(kind: string, index: string, value: string): KubernetesObject[] {
    const values = this.indexes.get(`${kind}/${index}`);
    if (!values) throw new Error(`no index ${index} on ${kind}`);
    return this.list(kind).filter((o) => values(o).includes(value));
  }
}

export interface AcceptedWrite {
  method: string;
  path: string;
  body: unknown;
}

/**
 * An API server on 127.0.0.1 that accepts every request and answers with the body it was sent (a
 * status PUT gives back the object written). `onWrite` lets a test show the write in its cache.
 */
export async function acceptingApiServer(onWrite: (write: AcceptedWrite) => void = () => {}) {
  const writes: AcceptedWrite[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      const write = { method: request.method ?? '', path: request.url ?? '', body };
      writes.push(write);
      onWrite(write);
      response.writeHead(200, { 'content-type': 'application/json' }).end(text || '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connection: KubeConnection = connectionFor({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  return {
    connection,
    writes,
    async close() {
      await connection.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
