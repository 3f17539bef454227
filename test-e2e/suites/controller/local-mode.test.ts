// APIs deployed to gateways through ConfigMaps (no APIM): the ConfigMap a gateway reads, checked
// field by field; STOPPED removes it, STARTED restores it; a ConfigMap deleted or edited by hand is
// put back; deleting the API removes it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  apply,
  createNamespace,
  installCrds,
  kubectl,
  startControllerManager,
  startOperator,
  waitReady,
  type ManagedProcess,
  type RunningOperator,
} from '../../src/index.ts';
import { eventually, getJson, v2Api, v4Api, type Manifest } from './fixtures.ts';

const cluster = inject('controlPlane');
let operator: RunningOperator;
let garbageCollector: ManagedProcess;
let ns = '';

interface ConfigMap {
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    resourceVersion: string;
    ownerReferences: { apiVersion: string; kind: string; name: string; uid: string; controller: boolean }[];
  };
  data: Record<string, string>;
}

const configMap = (name: string) => getJson<ConfigMap>(cluster, ns, `configmap/${name}`);

function localV4(name: string, spec: Record<string, unknown> = {}): Manifest {
  const api = v4Api(name, {
    definitionContext: { syncFrom: 'KUBERNETES' },
    plans: {
      free: { name: 'Free', security: { type: 'KEY_LESS' } },
      'api keys': { name: 'Keys', security: { type: 'API_KEY' } },
    },
    ...spec,
  });
  delete api.spec['contextRef'];
  return api;
}

beforeAll(async () => {
  await installCrds(cluster);
  ns = await createNamespace(cluster, 'controller-local');
  garbageCollector = await startControllerManager(cluster, ['garbage-collector-controller']);
  operator = await startOperator(cluster, { env: { NAMESPACE: ns, DRIFT_REPAIR_PERIOD_SECONDS: '0' } });
});
afterAll(async () => {
  await operator?.stop();
  await garbageCollector?.stop();
});

describe('a v4 API with definitionContext.syncFrom KUBERNETES and no context', () => {
  it('is written to the ConfigMap gateways read, in their format', async () => {
    expect((await apply(cluster, ns, localV4('catalog'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/catalog')).code).toBe(0);
    const api = (await getJson<{ metadata: { uid: string }; status: { id: string; state: string } }>(
      cluster,
      ns,
      'apiv4definition/catalog',
    ))!;
    const cm = (await configMap('catalog'))!;
    expect(cm.metadata.labels).toMatchObject({ 'managed-by': 'gravitee.io', 'gio-type': 'apidefinitions.gravitee.io' });
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'ApiV4Definition',
        name: 'catalog',
        uid: api.metadata.uid,
      }),
    ]);
    expect(Object.keys(cm.data).sort()).toEqual([
      'apiDefinitionVersion',
      'definition',
      'environmentId',
      'organizationId',
    ]);
    expect(cm.data).toMatchObject({
      apiDefinitionVersion: '4.0.0',
      organizationId: 'DEFAULT',
      environmentId: 'DEFAULT',
    });

    const definition = JSON.parse(cm.data['definition']!) as Record<string, unknown>;
    expect(definition['id']).toBe(api.status.id);
    expect(definition).toMatchObject({
      name: 'catalog',
      apiVersion: '1.0',
      definitionVersion: '4.0.0',
      type: 'proxy',
      listeners: [{ type: 'http', paths: [{ path: '/catalog' }], entrypoints: [{ type: 'http-proxy' }] }],
      endpointGroups: [{ name: 'default', type: 'http-proxy', endpoints: [{ name: 'one', type: 'http-proxy' }] }],
    });
    const plans = definition['plans'] as {
      id: string;
      name: string;
      security: { type: string };
      status: string;
      mode: string;
    }[];
    expect(plans.map((p) => [p.name, p.security.type, p.status, p.mode]).sort()).toEqual([
      ['api keys', 'api-key', 'published', 'standard'],
      ['free', 'key-less', 'published', 'standard'],
    ]);
    expect(new Set(plans.map((p) => p.id)).size).toBe(2);
    expect(api.status.state).toBe('STARTED');
  });

  it('removes the ConfigMap when STOPPED and restores the same definition when STARTED', async () => {
    const before = (await configMap('catalog'))!.data;
    expect((await apply(cluster, ns, localV4('catalog', { state: 'STOPPED' }))).code).toBe(0);
    await eventually('the ConfigMap removed', async () => (await configMap('catalog')) === undefined);
    await eventually(
      'status.state STOPPED',
      async () =>
        (await getJson<{ status: { state: string } }>(cluster, ns, 'apiv4definition/catalog'))?.status.state ===
        'STOPPED',
    );
    expect((await apply(cluster, ns, localV4('catalog', { state: 'STARTED' }))).code).toBe(0);
    const restored = await eventually('the ConfigMap restored', () => configMap('catalog'));
    expect(restored.data).toEqual(before);
  });

  it('is not rewritten when nothing changed', async () => {
    const before = (await configMap('catalog'))!.metadata.resourceVersion;
    expect((await apply(cluster, ns, localV4('catalog', { state: 'STARTED' }))).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await configMap('catalog'))!.metadata.resourceVersion).toBe(before);
  });

  it('puts back a ConfigMap deleted or edited by hand', async () => {
    const before = (await configMap('catalog'))!.data;
    expect((await kubectl(cluster, ['delete', 'configmap', 'catalog', '-n', ns])).code).toBe(0);
    const recreated = await eventually('the ConfigMap recreated', () => configMap('catalog'));
    expect(recreated.data).toEqual(before);

    expect(
      (
        await kubectl(cluster, [
          'patch',
          'configmap',
          'catalog',
          '-n',
          ns,
          '--type=merge',
          '-p',
          '{"data":{"definition":"{}"}}',
        ])
      ).code,
    ).toBe(0);
    await eventually(
      'the definition restored',
      async () => (await configMap('catalog'))?.data['definition'] === before['definition'],
    );
  });

  it('leaves alone a ConfigMap of the same name that is not its own, and says so', async () => {
    expect(
      (
        await apply(cluster, ns, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'squatter' },
          data: { mine: 'yes' },
        })
      ).code,
    ).toBe(0);
    expect((await apply(cluster, ns, localV4('squatter'))).code).toBe(0);
    const ready = await eventually('a verdict', async () =>
      (
        await getJson<{ status?: { conditions?: { type: string; reason: string }[] } }>(
          cluster,
          ns,
          'apiv4definition/squatter',
        )
      )?.status?.conditions?.find((c) => c.type === 'Ready'),
    );
    expect(ready.reason).toBe('ConfigMapConflict');
    expect((await configMap('squatter'))!.data).toEqual({ mine: 'yes' });
    // The ConfigMap renamed out of the way: the refusal is lifted without a change of the API.
    expect((await kubectl(cluster, ['delete', 'configmap', 'squatter', '-n', ns])).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/squatter')).code).toBe(0);
    const written = await eventually('the API deployed', () => configMap('squatter'));
    expect(written.metadata.ownerReferences[0]).toMatchObject({ kind: 'ApiV4Definition', name: 'squatter' });
  });

  it('stops being deployed when taken out of local mode, and says it is deployed nowhere', async () => {
    const nowhere = localV4('catalog', { definitionContext: { syncFrom: 'MANAGEMENT' } });
    expect((await apply(cluster, ns, nowhere)).code).toBe(0);
    await eventually('the ConfigMap removed', async () => (await configMap('catalog')) === undefined);
    const ready = await eventually('a verdict', async () => {
      const c = (
        await getJson<{ status?: { conditions?: { type: string; status: string; reason: string }[] } }>(
          cluster,
          ns,
          'apiv4definition/catalog',
        )
      )?.status?.conditions?.find((c) => c.type === 'Ready');
      return c?.status === 'False' && c;
    });
    expect(ready.reason).toBe('NoDeploymentTarget');
    expect((await apply(cluster, ns, localV4('catalog'))).code).toBe(0);
    await eventually('the ConfigMap back', () => configMap('catalog'));
  });

  it('becomes Ready when created again under the name of an API just deleted', async () => {
    expect((await apply(cluster, ns, localV4('phoenix'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/phoenix')).code).toBe(0);
    expect((await kubectl(cluster, ['delete', 'apiv4definition', 'phoenix', '-n', ns, '--wait=false'])).code).toBe(0);
    await eventually('the API gone', async () => (await getJson(cluster, ns, 'apiv4definition/phoenix')) === undefined);
    expect((await apply(cluster, ns, localV4('phoenix'))).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apiv4definition/phoenix', '90s')).code).toBe(0);
    const uid = (await getJson<{ metadata: { uid: string } }>(cluster, ns, 'apiv4definition/phoenix'))!.metadata.uid;
    expect((await configMap('phoenix'))!.metadata.ownerReferences[0]!.uid).toBe(uid);
  });

  it('takes its ConfigMap with it when deleted', async () => {
    expect((await kubectl(cluster, ['delete', 'apiv4definition', 'catalog', '-n', ns, '--timeout=30s'])).code).toBe(0);
    await eventually('the ConfigMap gone', async () => (await configMap('catalog')) === undefined);
  });
});

describe('a v2 API with local: true and no context', () => {
  it('is written to a ConfigMap without apiDefinitionVersion, holding the definition', async () => {
    const api = v2Api('inventory', { local: true });
    delete api.spec['contextRef'];
    expect((await apply(cluster, ns, api)).code).toBe(0);
    expect((await waitReady(cluster, ns, 'apidefinition/inventory')).code).toBe(0);
    const status = (await getJson<{ status: { id: string } }>(cluster, ns, 'apidefinition/inventory'))!.status;
    const cm = (await configMap('inventory'))!;
    expect(Object.keys(cm.data).sort()).toEqual(['definition', 'environmentId', 'organizationId']);
    const definition = JSON.parse(cm.data['definition']!) as Record<string, unknown>;
    expect(definition).toMatchObject({
      id: status.id,
      name: 'inventory',
      version: '1.0',
      proxy: { virtual_hosts: [{ path: '/inventory' }] },
      plans: [{ name: 'Free', security: 'KEY_LESS' }],
    });
  });
});
