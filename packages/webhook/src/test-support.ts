// Objects and helpers for the rules' tests.
import type { KubeObject } from './rules/rule.ts';
import type { AdmissionInput } from './rules/rule.ts';

export const NS = 'team-a';

export function object(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  extra: Partial<KubeObject> = {},
): KubeObject {
  return {
    apiVersion: 'gravitee.io/v1alpha1',
    kind,
    metadata: { name, namespace: NS, ...extra.metadata },
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function secret(
  name: string,
  data: Record<string, string>,
  kind: 'Secret' | 'ConfigMap' = 'Secret',
): KubeObject & { data: Record<string, string> } {
  const encoded =
    kind === 'Secret'
      ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]))
      : data;
  return { apiVersion: 'v1', kind, metadata: { name, namespace: NS }, data: encoded };
}

export function context(
  name: string,
  baseUrl: string,
  auth: Record<string, unknown> = { credentials: { username: 'admin', password: 'admin' } },
): KubeObject {
  return object('ManagementContext', name, { baseUrl, organizationId: 'DEFAULT', environmentId: 'DEFAULT', auth });
}

function input(operation: AdmissionInput['operation'], obj: KubeObject, oldObject?: KubeObject): AdmissionInput {
  return {
    operation,
    object: obj,
    ...(oldObject ? { oldObject } : {}),
    namespace: obj.metadata.namespace!,
    name: obj.metadata.name!,
    dryRun: false,
  };
}

export const create = (obj: KubeObject) => input('CREATE', obj);
export const update = (oldObject: KubeObject, obj: KubeObject) => input('UPDATE', obj, oldObject);
export const remove = (obj: KubeObject) => input('DELETE', obj);

export function v4Api(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return object('ApiV4Definition', name, {
    name,
    version: '1.0',
    type: 'PROXY',
    state: 'STARTED',
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
    plans: { keys: { name: 'Keys', security: { type: 'API_KEY' } } },
    ...spec,
  });
}

/** Paths (and severities) of findings, sorted: what most assertions compare. */
export function where(findings: { severity: string; path: string }[]): string[] {
  return findings.map((f) => `${f.severity} ${f.path}`).sort();
}
