import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { createCertificateAuthority, type CertificateAuthority, type IssuedCertificate } from '../pki/index.ts';
import { apiRequest } from './api-request.ts';
import { loadKubeConnection, type KubeConnection, type LoadKubeConnectionOptions } from './connection.ts';

/** What the test servers saw of a request. */
interface Echo {
  authorization: string | null;
  /** The common name of the client certificate, when one was presented. */
  client: string | null;
}

function echo(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket as Partial<TLSSocket>;
  const name = socket.getPeerCertificate?.().subject?.CN;
  const body: Echo = {
    authorization: request.headers.authorization ?? null,
    client: typeof name === 'string' ? name : null,
  };
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** An echo server over HTTPS (with these TLS settings), or plain HTTP; its URL. */
async function startServer(tls?: ServerOptions): Promise<string> {
  const server = tls ? createHttpsServer(tls, echo) : createHttpServer(echo);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function load(path?: string, options?: LoadKubeConnectionOptions): Promise<KubeConnection> {
  const connection = await loadKubeConnection(path, options);
  closers.push(() => connection.close());
  return connection;
}

const ask = (connection: KubeConnection) => apiRequest<Echo>(connection, { method: 'GET', path: '/version' });
const b64 = (pem: string) => Buffer.from(pem).toString('base64');

let folder: string;
let ca: CertificateAuthority;
let serverCert: IssuedCertificate;
let clientCert: IssuedCertificate;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kube-connection-'));
  ca = await createCertificateAuthority({ commonName: 'test-cluster-ca', validityDays: 1 });
  serverCert = await ca.issue({
    commonName: 'kube-apiserver',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['api.internal'],
    usage: 'server',
    validityDays: 1,
  });
  clientCert = await ca.issue({ commonName: 'alice', usage: 'client', validityDays: 1 });
});
afterAll(() => rm(folder, { recursive: true, force: true }));

let written = 0;
/** Writes a kubeconfig with one context, `test`, of this cluster and user; its path. */
async function kubeconfig(
  cluster: Record<string, unknown>,
  user?: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const dir = join(folder, `config-${++written}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'config');
  const document = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test-cluster', cluster }],
    users: user ? [{ name: 'test-user', user }] : [],
    contexts: [{ name: 'test', context: { cluster: 'test-cluster', ...(user ? { user: 'test-user' } : {}) } }],
    'current-context': 'test',
    ...overrides,
  };
  await writeFile(path, stringify(document));
  return path;
}

const tlsServerOptions = (): ServerOptions => ({ key: serverCert.keyPem, cert: serverCert.certPem });
const mutualTls = (): ServerOptions => ({
  ...tlsServerOptions(),
  ca: ca.certPem,
  requestCert: true,
  rejectUnauthorized: true,
});

describe('a connection from a kubeconfig', () => {
  it('authenticates with the client certificate given as data, and checks the server against the CA data', async () => {
    const server = await startServer(mutualTls());
    const path = await kubeconfig(
      { server: `${server}/`, 'certificate-authority-data': b64(ca.certPem) },
      { 'client-certificate-data': b64(clientCert.certPem), 'client-key-data': b64(clientCert.keyPem) },
    );
    const connection = await load(path);

    expect(connection.server).toBe(server);
    expect(await ask(connection)).toEqual({ authorization: null, client: 'alice' });
  });

  it('is refused by a server that requires a client certificate when the user has none', async () => {
    const server = await startServer(mutualTls());
    const connection = await load(await kubeconfig({ server, 'certificate-authority-data': b64(ca.certPem) }));
    // With TLS 1.3 the server turns the client down after the handshake, as the connection closing.
    await expect(ask(connection)).rejects.toThrow(
      /GET \/version: (other side closed|.*certificate required|.*ECONNRESET)/,
    );
  });

  it('reads certificate files relative to the folder of the kubeconfig', async () => {
    const server = await startServer(mutualTls());
    const path = await kubeconfig(
      { server, 'certificate-authority': 'pki/ca.crt' },
      { 'client-certificate': 'pki/alice.crt', 'client-key': './pki/alice.key' },
    );
    const pki = join(path, '..', 'pki');
    await mkdir(pki);
    await writeFile(join(pki, 'ca.crt'), ca.certPem);
    await writeFile(join(pki, 'alice.crt'), clientCert.certPem);
    await writeFile(join(pki, 'alice.key'), clientCert.keyPem);

    expect(await ask(await load(path))).toEqual({ authorization: null, client: 'alice' });
  });

  it('refuses a server whose certificate does not chain to the CA, unless insecure-skip-tls-verify', async () => {
    const server = await startServer(tlsServerOptions());
    const other = await createCertificateAuthority({ commonName: 'someone-else', validityDays: 1 });
    const checked = await load(await kubeconfig({ server, 'certificate-authority-data': b64(other.certPem) }));
    await expect(ask(checked)).rejects.toThrow('GET /version: unable to verify the first certificate');

    const unchecked = await load(await kubeconfig({ server, 'insecure-skip-tls-verify': true }));
    expect(await ask(unchecked)).toEqual({ authorization: null, client: null });
  });

  it('checks the server certificate against tls-server-name when it is given', async () => {
    const only = await ca.issue({ commonName: 'api', dnsNames: ['api.internal'], usage: 'server', validityDays: 1 });
    const server = await startServer({ key: only.keyPem, cert: only.certPem });
    const cluster = { server, 'certificate-authority-data': b64(ca.certPem) };

    await expect(ask(await load(await kubeconfig(cluster)))).rejects.toThrow(/IP: 127.0.0.1 is not in the cert's list/);
    const named = await load(await kubeconfig({ ...cluster, 'tls-server-name': 'api.internal' }));
    expect(await ask(named)).toEqual({ authorization: null, client: null });
  });

  it('sends the token of the user as a bearer token', async () => {
    const server = await startServer();
    const connection = await load(await kubeconfig({ server }, { token: 'token-one' }));
    expect(await connection.headers()).toEqual({ Authorization: 'Bearer token-one' });
    expect((await ask(connection)).authorization).toBe('Bearer token-one');
  });

  it('sends basic credentials for a username and password', async () => {
    const server = await startServer();
    const connection = await load(await kubeconfig({ server }, { username: 'admin', password: 'pw' }));
    expect((await ask(connection)).authorization).toBe(`Basic ${Buffer.from('admin:pw').toString('base64')}`);
  });

  it('reads a tokenFile (relative to the kubeconfig) again once it may have been rotated', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const server = await startServer();
    const path = await kubeconfig({ server }, { tokenFile: 'token', token: 'ignored-when-a-file-is-given' });
    const tokenFile = join(path, '..', 'token');
    await writeFile(tokenFile, 'first\n');
    const connection = await load(path);
    expect((await ask(connection)).authorization).toBe('Bearer first');

    await writeFile(tokenFile, 'second\n');
    vi.advanceTimersByTime(5_000);
    expect((await ask(connection)).authorization).toBe('Bearer first');
    vi.advanceTimersByTime(5_000);
    expect((await ask(connection)).authorization).toBe('Bearer second');

    // A file gone missing (mid-rotation) leaves the last token in use.
    await rm(tokenFile);
    vi.advanceTimersByTime(10_000);
    expect((await ask(connection)).authorization).toBe('Bearer second');
  });

  it('leaves a user that runs a command (exec) to the client library', async () => {
    const server = await startServer();
    const credential = {
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'from-exec' },
    };
    const path = await kubeconfig(
      // The library speaks plain HTTP only with checks off.
      { server, 'insecure-skip-tls-verify': true },
      {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: ['-e', `console.log(${JSON.stringify(JSON.stringify(credential))})`],
          interactiveMode: 'Never',
        },
      },
    );
    const connection = await load(path);
    expect(connection.server).toBe(server);
    expect((await ask(connection)).authorization).toBe('Bearer from-exec');
  });
});

describe('the errors of a kubeconfig', () => {
  const failure = async (path: string) => {
    const error = await loadKubeConnection(path).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(Error);
    return error!.message;
  };

  it('names the file and why the client library was needed when it fails', async () => {
    const path = await kubeconfig(
      { server: 'https://x' },
      { exec: { command: process.execPath, args: ['-e', 'process.stderr.write("not logged in"); process.exit(1)'] } },
    );
    expect(await failure(path)).toBe(
      `kubeconfig ${path}: user "test-user" runs a command (exec), and it failed: not logged in`,
    );
  });

  it('names the file and the missing current-context', async () => {
    const path = await kubeconfig({ server: 'https://x' }, undefined, { 'current-context': undefined });
    expect(await failure(path)).toBe(`kubeconfig ${path}: has no current-context`);
  });

  it('names what a context refers to and is not there', async () => {
    const path = await kubeconfig({ server: 'https://x' }, undefined, { 'current-context': 'elsewhere' });
    expect(await failure(path)).toMatch(`kubeconfig ${path}: current-context names context "elsewhere"`);

    const noUser = await kubeconfig({ server: 'https://x' }, undefined, {
      contexts: [{ name: 'test', context: { cluster: 'test-cluster', user: 'nobody' } }],
    });
    expect(await failure(noUser)).toMatch(/context "test" names user "nobody", which is not among its users/);
  });

  it('names a cluster without a server, and a client certificate without its key', async () => {
    expect(await failure(await kubeconfig({ 'insecure-skip-tls-verify': true }))).toMatch(
      /cluster "test-cluster" has no server/,
    );
    const halfPair = await kubeconfig(
      { server: 'https://x' },
      { 'client-certificate-data': b64(clientCert.certPem), token: 'do-not-print-me' },
    );
    const message = await failure(halfPair);
    expect(message).toMatch(/user "test-user" has a client-certificate but no client-key/);
    expect(message).not.toContain('do-not-print-me');
  });

  it('names a certificate file that cannot be read, and a file that is not a kubeconfig', async () => {
    const path = await kubeconfig({ server: 'https://x', 'certificate-authority': 'missing.crt' });
    expect(await failure(path)).toMatch(
      `kubeconfig ${path}: cluster "test-cluster": cannot read certificate-authority ${join(path, '..', 'missing.crt')}`,
    );
    const notYaml = join(folder, 'not-a-kubeconfig');
    await writeFile(notYaml, '- just\n- a list\n');
    expect(await failure(notYaml)).toBe(`kubeconfig ${notYaml}: not a kubeconfig (no YAML mapping)`);
    expect(await failure(join(folder, 'absent'))).toMatch(`cannot read the kubeconfig ${join(folder, 'absent')}`);
  });
});

describe('where the connection comes from', () => {
  /** A service-account folder as the kubelet mounts it. */
  async function serviceAccount(token: string): Promise<string> {
    const dir = join(folder, `service-account-${++written}`);
    await mkdir(dir);
    await writeFile(join(dir, 'token'), token);
    await writeFile(join(dir, 'ca.crt'), ca.certPem);
    return dir;
  }
  const inPod = (port: string, host = '127.0.0.1') => ({
    KUBERNETES_SERVICE_HOST: host,
    KUBERNETES_SERVICE_PORT: port,
  });

  it('inside a Pod, is the service account: the kubernetes Service, its CA and its token', async () => {
    const server = await startServer(tlsServerOptions());
    const dir = await serviceAccount('pod-token');
    const connection = await load(undefined, { env: inPod(new URL(server).port), serviceAccountDir: dir });

    expect(connection.server).toBe(server);
    expect(await ask(connection)).toEqual({ authorization: 'Bearer pod-token', client: null });
  });

  it('puts an IPv6 service address in brackets', async () => {
    const dir = await serviceAccount('pod-token');
    const connection = await load(undefined, { env: inPod('443', 'fd00::1'), serviceAccountDir: dir });
    expect(connection.server).toBe('https://[fd00::1]:443');
  });

  it('prefers a path given, then KUBECONFIG (its first file), to the service account', async () => {
    const dir = await serviceAccount('pod-token');
    const given = await kubeconfig({ server: 'https://given:1' });
    const first = await kubeconfig({ server: 'https://first:1' });
    const second = await kubeconfig({ server: 'https://second:1' });
    const env = { ...inPod('443'), KUBECONFIG: `${first}:${second}` };

    expect((await load(given, { env, serviceAccountDir: dir })).server).toBe('https://given:1');
    expect((await load(undefined, { env, serviceAccountDir: dir })).server).toBe('https://first:1');
  });

  it('outside a Pod and without KUBECONFIG, is ~/.kube/config', async () => {
    const home = join(folder, `home-${++written}`);
    await mkdir(join(home, '.kube'), { recursive: true });
    const noPod = { serviceAccountDir: join(home, 'no-service-account') };
    // The service's address alone does not make a Pod: the token must be mounted too.
    await expect(load(undefined, { env: { HOME: home, ...inPod('443') }, ...noPod })).rejects.toThrow(
      `no Kubernetes API to connect to: KUBECONFIG is not set, this is not a Pod, and ${join(home, '.kube', 'config')} does not exist`,
    );

    await copyFile(await kubeconfig({ server: 'https://home:1' }), join(home, '.kube', 'config'));
    expect((await load(undefined, { env: { HOME: home }, ...noPod })).server).toBe('https://home:1');
  });
});
