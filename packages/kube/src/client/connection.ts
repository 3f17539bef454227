// How this process reaches the Kubernetes API server, found as kubectl and client-go find it: a
// kubeconfig given, or named by KUBECONFIG; inside a Pod, the service account; else ~/.kube/config.
// Our own small client instead of @kubernetes/client-node, whose generated API costs some 80 MiB of
// resident memory on import (it is still used, imported on demand, for exec and auth-provider users).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Dispatcher } from 'undici';
import { clientNodeConnection } from './client-node-connection.ts';
import { connectionFor } from './connection-for.ts';
import { inClusterSettings, SERVICE_ACCOUNT_DIR } from './in-cluster.ts';
import { readKubeconfig } from './kubeconfig.ts';

export interface KubeConnection {
  /** https://host:port (and any path prefix), without a trailing slash. */
  readonly server: string;
  /**
   * Headers of one request: Authorization when a token is used (a token file is re-read when it
   * changes, at most every 10 s: bound service-account tokens rotate).
   */
  headers(): Promise<Record<string, string>>;
  /** One undici Agent (kept-alive connections) with the TLS settings: CA, client certificate, checks. */
  readonly dispatcher: Dispatcher;
  close(): Promise<void>;
}

export interface LoadKubeConnectionOptions {
  /** Where KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT and HOME are read (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Where a Pod's service-account token and CA are mounted (default: the kubelet's path). */
  serviceAccountDir?: string;
}

export async function loadKubeConnection(
  path?: string,
  options: LoadKubeConnectionOptions = {},
): Promise<KubeConnection> {
  const env = options.env ?? process.env;
  // A list of files merges them in kubectl; the first one holds the context that matters here.
  const file = path || env['KUBECONFIG']?.split(delimiter).find((entry) => entry !== '');
  if (file) return kubeconfigConnection(file);
  const inCluster = await inClusterSettings(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
  if (inCluster) return connectionFor(inCluster);
  const fallback = join(env['HOME'] || homedir(), '.kube', 'config');
  if (!existsSync(fallback))
    throw new Error(
      `no Kubernetes API to connect to: KUBECONFIG is not set, this is not a Pod, and ${fallback} does not exist`,
    );
  return kubeconfigConnection(fallback);
}

async function kubeconfigConnection(file: string): Promise<KubeConnection> {
  const reading = await readKubeconfig(file);
  if ('settings' in reading) return connectionFor(reading.settings);
  try {
    return await clientNodeConnection(file);
  } catch (error) {
    // The library's errors (a command not found, a provider refusing) do not say which file, nor why.
    throw new Error(`kubeconfig ${file}: ${reading.needsClientNode}, and it failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
