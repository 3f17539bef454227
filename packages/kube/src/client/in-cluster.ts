// Inside a Pod: the API server is the kubernetes Service (its address in the environment) and the
// identity is the Pod's service account, whose token and CA the kubelet mounts.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { ConnectionSettings } from './connection-for.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The service account's settings, or undefined when this process does not run in a Pod. */
export async function inClusterSettings(
  env: Record<string, string | undefined>,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
): Promise<ConnectionSettings | undefined> {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  const tokenFile = join(serviceAccountDir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const caFile = join(serviceAccountDir, 'ca.crt');
  let ca: Buffer;
  try {
    ca = await readFile(caFile);
  } catch (error) {
    throw new Error(`in a Pod, but cannot read the service account's CA ${caFile}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return {
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    ca,
    // Bound tokens rotate: the file is read again as it changes.
    credentials: { tokenFile },
  };
}
