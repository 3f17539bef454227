// A connection built from settings already resolved (from a kubeconfig, the service account, or a
// test): one undici Agent holding the TLS settings, so that connections and TLS sessions are kept
// alive across requests, and the credentials each request carries.
import type { ConnectionOptions } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import type { KubeConnection } from './connection.ts';
import { tokenFromFile } from './token-file.ts';

export type Credentials = { token: string } | { tokenFile: string } | { username: string; password: string };

export interface ConnectionSettings {
  /** https://host:port, possibly with a path prefix (http:// only for test servers). */
  server: string;
  /** PEM certificates the server's certificate must chain to (instead of the system's). */
  ca?: string | Buffer;
  /** PEM client certificate and its key, for clusters that authenticate clients by certificate. */
  clientCertificate?: string | Buffer;
  clientKey?: string | Buffer;
  insecureSkipTlsVerify?: boolean;
  /** The name the server's certificate is checked against (and sent as SNI), when not the server's host. */
  tlsServerName?: string;
  credentials?: Credentials;
}

// Like client-go: a TCP keep-alive probe after 30 s of silence, so that a peer gone without a word is
// noticed on idle pooled connections (the informers' watchdog covers the watches).
const KEEP_ALIVE_DELAY_MS = 30_000;

function agentFor(settings: ConnectionSettings): Agent {
  const tls: ConnectionOptions = {
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.clientCertificate ? { cert: settings.clientCertificate } : {}),
    ...(settings.clientKey ? { key: settings.clientKey } : {}),
    ...(settings.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}),
  };
  const connect = buildConnector({ ...tls, keepAlive: true, keepAliveInitialDelay: KEEP_ALIVE_DELAY_MS });
  const serverName = settings.tlsServerName;
  if (!serverName) return new Agent({ connect });
  // undici gives each request the server's host name as TLS server name, which would win over a
  // `servername` connect option: force it per connection instead.
  return new Agent({ connect: (options, callback) => connect({ ...options, servername: serverName }, callback) });
}

function authorizationFor(credentials: Credentials | undefined): () => Promise<string | undefined> {
  if (!credentials) return () => Promise.resolve(undefined);
  if ('tokenFile' in credentials) {
    const token = tokenFromFile(credentials.tokenFile);
    return async () => `Bearer ${await token()}`;
  }
  const value =
    'token' in credentials
      ? `Bearer ${credentials.token}`
      : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  return () => Promise.resolve(value);
}

export function connectionFor(settings: ConnectionSettings): KubeConnection {
  const dispatcher = agentFor(settings);
  const authorization = authorizationFor(settings.credentials);
  return {
    server: settings.server.replace(/\/+$/, ''),
    dispatcher,
    async headers(): Promise<Record<string, string>> {
      const value = await authorization();
      return value ? { Authorization: value } : {};
    },
    close: () => dispatcher.close(),
  };
}
