// Reads a kubeconfig file as kubectl does, for what the operator needs: the current context's cluster
// (server, CA, TLS checks) and user (client certificate, token, token file, basic). Users that run a
// command (exec) or an auth provider, and clusters reached through a proxy, are left to the client
// library (see client-node-connection.ts). Errors name the file and the field, never a secret.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ConnectionSettings, Credentials } from './connection-for.ts';

/** The settings of the current context, or why only the client library can connect with it. */
export type KubeconfigReading = { settings: ConnectionSettings } | { needsClientNode: string };

type Fields = Record<string, unknown>;

interface Entry {
  name: string;
  fields: Fields;
}

const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (fields: Fields, key: string): string | undefined => {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

export async function readKubeconfig(file: string): Promise<KubeconfigReading> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the kubeconfig ${file}: ${(error as Error).message}`, { cause: error });
  }
  // Loaded only here: in a Pod (the service account) no kubeconfig is read, and the parser costs
  // some 10 MiB of resident memory.
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(content);
  } catch (error) {
    throw new Error(`kubeconfig ${file}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (!isFields(document)) throw new Error(`kubeconfig ${file}: not a kubeconfig (no YAML mapping)`);
  return new Kubeconfig(file, document).currentConnection();
}

class Kubeconfig {
  private readonly file: string;
  private readonly document: Fields;

  constructor(file: string, document: Fields) {
    this.file = file;
    this.document = document;
  }

  async currentConnection(): Promise<KubeconfigReading> {
    const contextName = text(this.document, 'current-context');
    if (!contextName) throw this.error('has no current-context');
    const context = this.find('contexts', 'context', contextName, 'current-context');
    const clusterName = text(context.fields, 'cluster');
    if (!clusterName) throw this.error(`context "${contextName}" has no cluster`);
    const cluster = this.find('clusters', 'cluster', clusterName, `context "${contextName}"`);
    const userName = text(context.fields, 'user');
    // A context without a user connects anonymously.
    const user = userName ? this.find('users', 'user', userName, `context "${contextName}"`) : undefined;

    if (user?.fields['exec'] !== undefined) return { needsClientNode: `user "${user.name}" runs a command (exec)` };
    if (user?.fields['auth-provider'] !== undefined)
      return { needsClientNode: `user "${user.name}" has an auth-provider` };
    if (text(cluster.fields, 'proxy-url')) return { needsClientNode: `cluster "${cluster.name}" has a proxy-url` };

    return { settings: { ...(await this.clusterSettings(cluster)), ...(user ? await this.userSettings(user) : {}) } };
  }

  private async clusterSettings(cluster: Entry): Promise<ConnectionSettings> {
    const server = text(cluster.fields, 'server');
    if (!server) throw this.error(`cluster "${cluster.name}" has no server`);
    if (!URL.canParse(server) || !/^https?:$/.test(new URL(server).protocol))
      throw this.error(`cluster "${cluster.name}" has a server that is not an http(s) URL`);
    const where = `cluster "${cluster.name}"`;
    const ca = await this.pem(cluster.fields, 'certificate-authority', where);
    const tlsServerName = text(cluster.fields, 'tls-server-name');
    return {
      server,
      ...(ca ? { ca } : {}),
      ...(cluster.fields['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
      ...(tlsServerName ? { tlsServerName } : {}),
    };
  }

  private async userSettings(user: Entry): Promise<Omit<ConnectionSettings, 'server'>> {
    const where = `user "${user.name}"`;
    const clientCertificate = await this.pem(user.fields, 'client-certificate', where);
    const clientKey = await this.pem(user.fields, 'client-key', where);
    if (clientCertificate && !clientKey) throw this.error(`${where} has a client-certificate but no client-key`);
    if (clientKey && !clientCertificate) throw this.error(`${where} has a client-key but no client-certificate`);
    const credentials = this.credentials(user);
    return {
      ...(clientCertificate && clientKey ? { clientCertificate, clientKey } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }

  private credentials(user: Entry): Credentials | undefined {
    // As client-go: when both are given, the file wins (it is what gets rotated).
    const tokenFile = text(user.fields, 'tokenFile');
    if (tokenFile) return { tokenFile: this.path(tokenFile) };
    const token = text(user.fields, 'token');
    if (token) return { token };
    const username = text(user.fields, 'username');
    if (username === undefined) return undefined;
    const password = text(user.fields, 'password');
    if (password === undefined) throw this.error(`user "${user.name}" has a username but no password`);
    return { username, password };
  }

  /** `<key>-data` (base64 PEM) or `<key>` (a file, relative to the kubeconfig's folder). */
  private async pem(fields: Fields, key: string, where: string): Promise<Buffer | undefined> {
    const data = text(fields, `${key}-data`);
    if (data) {
      const decoded = Buffer.from(data, 'base64');
      if (decoded.length === 0) throw this.error(`${where} has a ${key}-data that is not base64`);
      return decoded;
    }
    const file = text(fields, key);
    if (!file) return undefined;
    try {
      return await readFile(this.path(file));
    } catch (error) {
      throw this.error(`${where}: cannot read ${key} ${this.path(file)}: ${(error as Error).message}`, error);
    }
  }

  private path(file: string): string {
    return resolve(dirname(this.file), file);
  }

  /** The entry named `name` of a list such as `clusters` (each `{ name, cluster: {...} }`). */
  private find(list: string, field: string, name: string, referrer: string): Entry {
    const entries = this.document[list];
    const found = Array.isArray(entries)
      ? entries.find((entry): entry is Fields => isFields(entry) && entry['name'] === name)
      : undefined;
    if (!found) throw this.error(`${referrer} names ${field} "${name}", which is not among its ${list}`);
    return { name, fields: isFields(found[field]) ? found[field] : {} };
  }

  private error(message: string, cause?: unknown): Error {
    return new Error(`kubeconfig ${this.file}: ${message}`, cause === undefined ? {} : { cause });
  }
}
