// Helpers for suites that work with our custom resources through kubectl.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { kubectl, kubectlOk, type KubectlResult, type KubectlTarget } from './kubectl.ts';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const crdsDir = join(repoRoot, 'crds');

/** Installs (or updates) our CRDs with server-side apply and waits until every one is served. */
export async function installCrds(cluster: KubectlTarget): Promise<void> {
  await kubectlOk(cluster, ['apply', '--server-side', '--force-conflicts', '-f', crdsDir]);
  const names = readdirSync(crdsDir)
    .filter((f) => f.startsWith('gravitee.io_') && f.endsWith('.yaml'))
    .map((f) => `crd/${f.slice('gravitee.io_'.length, -'.yaml'.length)}.gravitee.io`);
  await kubectlOk(cluster, ['wait', '--for=condition=Established', '--timeout=60s', ...names]);
  // Refresh kubectl's discovery cache so that the new kinds resolve at once.
  await kubectlOk(cluster, ['api-resources', '--api-group=gravitee.io', '-o', 'name']);
}

/** A namespace of its own for a suite (with labels, e.g. to select a webhook); returns its name. */
export async function createNamespace(
  cluster: KubectlTarget,
  prefix: string,
  labels: Record<string, string> = {},
): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e4)}`;
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
  await kubectlOk(cluster, ['create', '-f', '-'], { input: JSON.stringify(namespace) });
  return name;
}

export async function deleteNamespace(cluster: KubectlTarget, name: string): Promise<void> {
  await kubectl(cluster, ['delete', 'namespace', name, '--wait=false']);
}

/** Writes status fields of an object (a merge patch of its status subresource), as its controller would. */
export async function patchStatus(
  cluster: KubectlTarget,
  namespace: string,
  resource: string,
  status: unknown,
): Promise<void> {
  await kubectlOk(cluster, [
    'patch',
    resource,
    '-n',
    namespace,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status }),
  ]);
}

export function apply(
  cluster: KubectlTarget,
  namespace: string,
  objects: Record<string, unknown> | Record<string, unknown>[],
  options: { serverSide?: boolean; dryRun?: boolean } = {},
): Promise<KubectlResult> {
  const items = Array.isArray(objects) ? objects : [objects];
  const input = JSON.stringify(items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items });
  const args = ['apply', '-n', namespace, '-f', '-'];
  if (options.serverSide) args.push('--server-side', '--field-manager=e2e');
  if (options.dryRun) args.push('--dry-run=server');
  return kubectl(cluster, args, { input });
}

export async function getObject(
  cluster: KubectlTarget,
  namespace: string,
  kind: string,
  name: string,
): Promise<Record<string, unknown>> {
  return JSON.parse(
    await kubectlOk(cluster, ['get', `${kind.toLowerCase()}.gravitee.io`, name, '-n', namespace, '-o', 'json']),
  ) as Record<string, unknown>;
}

/** Every field of `given` is in `stored` with the same value (stored may hold more, e.g. defaults). */
export function missingFields(given: unknown, stored: unknown, path = ''): string[] {
  if (given === null || given === undefined) return [];
  if (Array.isArray(given)) {
    if (!Array.isArray(stored) || stored.length !== given.length) return [path || '(root)'];
    return given.flatMap((item, i) => missingFields(item, stored[i], `${path}[${i}]`));
  }
  if (typeof given === 'object') {
    if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return [path || '(root)'];
    return Object.entries(given).flatMap(([key, value]) =>
      missingFields(value, (stored as Record<string, unknown>)[key], path ? `${path}.${key}` : key),
    );
  }
  return given === stored ? [] : [path];
}
