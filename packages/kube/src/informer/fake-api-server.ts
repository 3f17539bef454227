// TEST HELPER, not used in production: a tiny Kubernetes API server for one resource (ConfigMaps) on
// 127.0.0.1, speaking just enough of the list + watch protocol for informer tests: paged lists (limit +
// continue), watches that replay history from a resource version and then stream newline-delimited
// JSON events, bookmarks, 410 Gone (as an ERROR event or an HTTP status), and the failures tests need
// to provoke (failing or unanswered requests, expired tokens, silent connections).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesObject, V1ConfigMap, V1ObjectMeta } from '@kubernetes/client-node';
import type { KubeConnection } from '../client/connection.ts';
import { connectionFor } from '../client/connection-for.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEntry {
  type: EventType;
  object: V1ConfigMap;
  version: number;
}

interface OpenWatch {
  namespace: string | undefined;
  response: ServerResponse;
  /** A silent watch behaves like a dead connection: nothing is written, nothing is closed. */
  silent: boolean;
  closeTimer: NodeJS.Timeout | undefined;
}

export interface RecordedRequest {
  kind: 'list' | 'watch' | 'get';
  namespace: string | undefined;
  query: URLSearchParams;
}

interface ConfigMapFields {
  data?: Record<string, string>;
  labels?: Record<string, string>;
  managedFields?: V1ObjectMeta['managedFields'];
}

/** A ConfigMap as a test writes it (the server adds uid and resourceVersion). */
export function configMap(namespace: string, name: string, fields: ConfigMapFields = {}): V1ConfigMap {
  return {
    metadata: {
      namespace,
      name,
      ...(fields.labels ? { labels: fields.labels } : {}),
      ...(fields.managedFields ? { managedFields: fields.managedFields } : {}),
    },
    data: fields.data ?? {},
  };
}

const COLLECTION = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/configmaps$/;
const OBJECT = /^\/api\/v1\/namespaces\/([^/]+)\/configmaps\/([^/]+)$/;
const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly objects = new Map<string, V1ConfigMap>();
  private readonly history: HistoryEntry[] = [];
  private readonly watches = new Set<OpenWatch>();
  private version = 100;
  private port = 0;
  private listFailures: number[] = [];
  private watchFailures: number[] = [];
  private listsToHold = 0;
  private watchesToEndAtOnce = 0;
  private watchesToDrop = 0;
  private expireNextToken = false;
  private opened: KubeConnection | undefined;

  private constructor() {
    this.server = createServer((request, response) => this.handle(request, response));
  }

  static async start(): Promise<FakeApiServer> {
    const fake = new FakeApiServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** A real connection, as to a cluster, to this server (closed when the server stops). */
  connection(): KubeConnection {
    this.opened ??= connectionFor({ server: `http://127.0.0.1:${this.port}` });
    return this.opened;
  }

  async stop(): Promise<void> {
    for (const watch of this.watches) clearTimeout(watch.closeTimer);
    this.watches.clear();
    this.server.closeAllConnections();
    await Promise.all([new Promise<void>((resolve) => this.server.close(() => resolve())), this.opened?.close()]);
  }

  count(kind: RecordedRequest['kind']): number {
    return this.requests.filter((r) => r.kind === kind).length;
  }

  // ---- the resource --------------------------------------------------------------------------

  /** Creates or replaces the object, telling open watches (ADDED or MODIFIED). */
  put(object: V1ConfigMap): V1ConfigMap {
    const stored = this.store(object);
    this.record(this.objects.has(this.keyOf(stored)) ? 'MODIFIED' : 'ADDED', stored);
    this.objects.set(this.keyOf(stored), stored);
    return stored;
  }

  /** Changes the object without any watch event, as when the event fell out of the server's history. */
  putQuietly(object: V1ConfigMap): V1ConfigMap {
    const stored = this.store(object);
    this.objects.set(this.keyOf(stored), stored);
    return stored;
  }

  remove(namespace: string, name: string): void {
    const stored = this.objects.get(keyOf(namespace, name));
    if (!stored) return;
    this.objects.delete(keyOf(namespace, name));
    this.version++;
    this.record('DELETED', { ...stored, metadata: { ...stored.metadata, resourceVersion: String(this.version) } });
  }

  // ---- what happens to watches ---------------------------------------------------------------

  /** A BOOKMARK with the current version, on every open watch. */
  bookmark(): void {
    this.broadcast(undefined, {
      type: 'BOOKMARK',
      object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(this.version) } },
    });
  }

  /** An ERROR event (410: too old a version) on every open watch, left open: the client must act on the event. */
  sendErrorEvent(code = 410): void {
    const [reason, message] = code === 410 ? ['Expired', 'too old resource version'] : ['InternalError', 'as told'];
    this.broadcast(undefined, { type: 'ERROR', object: this.status(code, reason, message) });
  }

  /** Open watches go silent for good: no more events, never closed by the server (a half-open connection). */
  silenceWatches(): void {
    for (const watch of this.watches) {
      watch.silent = true;
      clearTimeout(watch.closeTimer);
    }
  }

  /** Closes every open watch cleanly, as at the end of its timeout. */
  endWatches(): void {
    for (const watch of this.watches) this.endWatch(watch);
  }

  /** The next `times` watch requests get no answer: their connection is closed (a server going down). */
  dropWatches(times: number): void {
    this.watchesToDrop += times;
  }

  /** The next `times` watches are accepted and ended at once, without an event (an unhealthy server). */
  endWatchesAtOnce(times: number): void {
    this.watchesToEndAtOnce += times;
  }

  /** The next `times` watch requests are answered with this HTTP status. */
  failWatches(status: number, times = 1): void {
    this.watchFailures.push(...Array<number>(times).fill(status));
  }

  // ---- what happens to lists -----------------------------------------------------------------

  /** The next `times` list requests are answered with this HTTP status. */
  failLists(status: number, times = 1): void {
    this.listFailures.push(...Array<number>(times).fill(status));
  }

  /** The next `times` list requests are never answered. */
  holdLists(times = 1): void {
    this.listsToHold += times;
  }

  /** The next request that carries a continue token is told the token expired (410). */
  expireNextContinueToken(): void {
    this.expireNextToken = true;
  }

  // ---- protocol ------------------------------------------------------------------------------

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const single = OBJECT.exec(url.pathname);
    if (request.method === 'GET' && single) return this.read(single[1]!, single[2]!, url.searchParams, response);
    const match = COLLECTION.exec(url.pathname);
    if (request.method !== 'GET' || !match) return this.answer(response, 404, this.status(404, 'NotFound', 'no'));
    const namespace = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    if (url.searchParams.get('watch') === 'true') return this.watch(namespace, url.searchParams, request, response);
    this.list(namespace, url.searchParams, response);
  }

  private read(namespace: string, name: string, query: URLSearchParams, response: ServerResponse): void {
    this.requests.push({ kind: 'get', namespace, query });
    const found = this.objects.get(keyOf(decodeURIComponent(namespace), decodeURIComponent(name)));
    if (!found) return this.answer(response, 404, this.status(404, 'NotFound', `configmaps "${name}" not found`));
    this.answer(response, 200, found);
  }

  private list(namespace: string | undefined, query: URLSearchParams, response: ServerResponse): void {
    this.requests.push({ kind: 'list', namespace, query });
    if (this.listsToHold > 0) {
      this.listsToHold--;
      return;
    }
    const failure = this.listFailures.shift();
    if (failure !== undefined) return this.answer(response, failure, this.status(failure, 'Failed', 'as told'));
    const token = query.get('continue');
    if (token !== null && this.expireNextToken) {
      this.expireNextToken = false;
      return this.answer(response, 410, this.status(410, 'Expired', 'the continue token has expired'));
    }
    const all = [...this.objects.values()]
      .filter((o) => namespace === undefined || o.metadata?.namespace === namespace)
      .sort((a, b) => this.keyOf(a).localeCompare(this.keyOf(b)));
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString());
    const limit = Number(query.get('limit') ?? 0) || all.length;
    const next = offset + limit;
    this.answer(response, 200, {
      kind: 'ConfigMapList',
      apiVersion: 'v1',
      metadata: {
        resourceVersion: String(this.version),
        ...(next < all.length ? { continue: Buffer.from(String(next)).toString('base64url') } : {}),
      },
      // Like the real server: items of a list carry no apiVersion nor kind.
      items: all.slice(offset, next).map(({ apiVersion: _a, kind: _k, ...item }) => item),
    });
  }

  private watch(
    namespace: string | undefined,
    query: URLSearchParams,
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    this.requests.push({ kind: 'watch', namespace, query });
    if (this.watchesToDrop > 0) {
      this.watchesToDrop--;
      request.socket.destroy();
      return;
    }
    const failure = this.watchFailures.shift();
    if (failure !== undefined) return this.answer(response, failure, this.status(failure, 'Failed', 'as told'));
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (this.watchesToEndAtOnce > 0) {
      this.watchesToEndAtOnce--;
      response.end();
      return;
    }
    response.flushHeaders();
    const watch: OpenWatch = { namespace, response, silent: false, closeTimer: undefined };
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) watch.closeTimer = setTimeout(() => this.endWatch(watch), timeoutSeconds * 1000);
    this.watches.add(watch);
    request.on('close', () => {
      clearTimeout(watch.closeTimer);
      this.watches.delete(watch);
    });
    const from = Number(query.get('resourceVersion') || this.version);
    for (const entry of this.history)
      if (entry.version > from && this.inNamespace(entry.object, namespace)) this.write(watch, entry);
  }

  private endWatch(watch: OpenWatch): void {
    clearTimeout(watch.closeTimer);
    this.watches.delete(watch);
    watch.response.end();
  }

  private store(object: V1ConfigMap): V1ConfigMap {
    this.version++;
    return {
      ...object,
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { ...object.metadata, uid: `uid-${this.keyOf(object)}`, resourceVersion: String(this.version) },
    };
  }

  private record(type: EventType, object: V1ConfigMap): void {
    const entry = { type, object, version: this.version };
    this.history.push(entry);
    this.broadcast(object.metadata?.namespace, entry);
  }

  private broadcast(namespace: string | undefined, event: { type: string; object: KubernetesObject }): void {
    for (const watch of this.watches)
      if (namespace === undefined || watch.namespace === undefined || watch.namespace === namespace)
        this.write(watch, event);
  }

  private write(watch: OpenWatch, event: { type: string; object: KubernetesObject }): void {
    if (!watch.silent) watch.response.write(`${JSON.stringify({ type: event.type, object: event.object })}\n`);
  }

  private inNamespace(object: KubernetesObject, namespace: string | undefined): boolean {
    return namespace === undefined || object.metadata?.namespace === namespace;
  }

  private keyOf(object: KubernetesObject): string {
    return keyOf(object.metadata?.namespace ?? '', object.metadata?.name ?? '');
  }

  private status(code: number, reason: string, message: string): object {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  }

  private answer(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}
