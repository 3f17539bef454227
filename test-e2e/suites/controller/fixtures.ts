// Manifests for the controller suites, and the world most of them start from.
import { expect } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '@gko/apim-simulator';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  kubectlOk,
  startOperator,
  waitReady,
  type ControlPlaneInfo,
  type KubectlTarget,
  type RunningOperator,
} from '../../src/index.ts';

export const GV = 'gravitee.io/v1alpha1';
export type Manifest = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
};

export const manifest = (kind: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: GV,
  kind,
  metadata: { name },
  spec,
});

export const context = (
  name: string,
  baseUrl: string,
  auth: Record<string, unknown> = { secretRef: { name: 'apim-credentials' } },
) => manifest('ManagementContext', name, { baseUrl, organizationId: 'DEFAULT', environmentId: 'DEFAULT', auth });

export const credentials = (name: string, username: string, password: string) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  stringData: { username, password },
});

export function v4Api(name: string, spec: Record<string, unknown> = {}): Manifest {
  return manifest('ApiV4Definition', name, {
    contextRef: { name: 'apim' },
    name,
    version: '1.0',
    type: 'PROXY',
    listeners: [{ type: 'HTTP', paths: [{ path: `/${name}` }], entrypoints: [{ type: 'http-proxy' }] }],
    endpointGroups: [
      {
        name: 'default',
        type: 'http-proxy',
        endpoints: [
          { name: 'one', type: 'http-proxy', inheritConfiguration: false, configuration: { target: 'http://backend' } },
        ],
      },
    ],
    plans: { free: { name: 'Free', security: { type: 'KEY_LESS' } } },
    ...spec,
  });
}

export function v2Api(name: string, spec: Record<string, unknown> = {}): Manifest {
  return manifest('ApiDefinition', name, {
    contextRef: { name: 'apim' },
    name,
    version: '1.0',
    description: `${name} API`,
    proxy: {
      virtual_hosts: [{ path: `/${name}` }],
      groups: [{ name: 'default', endpoints: [{ name: 'one', target: 'http://backend' }] }],
    },
    plans: [{ name: 'Free', description: 'Free plan', security: 'KEY_LESS' }],
    ...spec,
  });
}

export async function getJson<T = Record<string, unknown>>(
  cluster: KubectlTarget,
  namespace: string,
  resource: string,
): Promise<T | undefined> {
  const result = await kubectl(cluster, ['get', resource, '-n', namespace, '-o', 'json']);
  return result.code === 0 ? (JSON.parse(result.stdout) as T) : undefined;
}

export async function condition(cluster: KubectlTarget, namespace: string, resource: string, type = 'Ready') {
  const object = await getJson<{
    status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
  }>(cluster, namespace, resource);
  return object?.status?.conditions?.find((c) => c.type === type);
}

export async function eventually<R>(
  what: string,
  attempt: () => R,
  timeoutMs = 30_000,
): Promise<Exclude<NonNullable<Awaited<R>>, false>> {
  const deadline = Date.now() + timeoutMs;
  let last: Awaited<R> | undefined;
  while (Date.now() < deadline) {
    last = await attempt();
    if (last) return last as Exclude<NonNullable<Awaited<R>>, false>;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export async function events(
  cluster: KubectlTarget,
  namespace: string,
  name: string,
): Promise<{ reason: string; note: string; type: string }[]> {
  const list = JSON.parse(await kubectlOk(cluster, ['get', 'events.events.k8s.io', '-n', namespace, '-o', 'json'])) as {
    items: { regarding?: { name?: string }; reason: string; note: string; type: string }[];
  };
  return list.items.filter((e) => e.regarding?.name === name);
}

/** The credentials Secret and a context `name` pointing at the APIM at `apimUrl`, Ready. */
export async function readyContext(cluster: ControlPlaneInfo, ns: string, apimUrl: string, name = 'apim') {
  await kubectlOk(cluster, ['apply', '-n', ns, '-f', '-'], {
    input: JSON.stringify(credentials('apim-credentials', 'admin', 'admin')),
  });
  expect((await apply(cluster, ns, context(name, apimUrl))).code).toBe(0);
  expect((await waitReady(cluster, ns, `managementcontext/${name}`)).code).toBe(0);
}

export interface ControllerWorld {
  simulator: Simulator;
  operator: RunningOperator;
  ns: string;
  /** The operator's environment, to start it again the same way. */
  env: Record<string, string>;
}

/**
 * A namespace with the credentials Secret and a Ready context `apim` pointing at a fresh simulator,
 * and an operator watching that namespace (drift repair off unless `env` says otherwise).
 */
export async function controllerWorld(
  cluster: ControlPlaneInfo,
  name: string,
  options: { simulator?: SimulatorOptions; env?: Record<string, string> } = {},
): Promise<ControllerWorld> {
  await installCrds(cluster);
  const simulator = await startSimulator(options.simulator);
  const ns = await createNamespace(cluster, name);
  const env = { DRIFT_REPAIR_PERIOD_SECONDS: '0', NAMESPACE: ns, ...options.env };
  const operator = await startOperator(cluster, { env });
  await readyContext(cluster, ns, simulator.url);
  return { simulator, operator, ns, env };
}
