// The foundation round trip, entirely through kubectl: CRD → custom resource → owned ConfigMap →
// delete → garbage collection by kube-controller-manager.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { kubectl, kubectlOk, startControllerManager, type ManagedProcess } from '../../src/index.ts';

const cluster = inject('controlPlane');
const namespace = `foundation-${Date.now().toString(36)}`;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.e2e.gko.test' },
  spec: {
    group: 'e2e.gko.test',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer' }, colour: { type: 'string' } } },
            },
          },
        },
      },
    ],
  },
};

let controllerManager: ManagedProcess | undefined;

beforeAll(async () => {
  await kubectlOk(cluster, ['create', 'namespace', namespace]);
  // Installed before the controller manager starts, so its garbage collector watches widgets at once.
  await kubectlOk(cluster, ['apply', '-f', '-'], { input: JSON.stringify(crd) });
  await kubectlOk(cluster, ['wait', '--for=condition=Established', 'crd/widgets.e2e.gko.test', '--timeout=30s']);
  controllerManager = await startControllerManager(cluster);
});

afterAll(async () => {
  await kubectl(cluster, ['delete', 'namespace', namespace, '--wait=false']);
  await controllerManager?.stop();
});

describe(`a real kube-apiserver ${cluster.kubernetesVersion}`, () => {
  it('reports the release it was built from to kubectl, which is built from the same release', async () => {
    const versions = JSON.parse(await kubectlOk(cluster, ['version', '-o', 'json'])) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string; major: string; minor: string };
    };
    expect(versions.serverVersion.gitVersion).toBe(cluster.kubernetesVersion);
    expect(versions.serverVersion.gitVersion).toMatch(/^v1\.36\.\d+$/);
    expect(versions.serverVersion).toMatchObject({ major: '1', minor: '36' });
    expect(versions.clientVersion.gitVersion).toBe(versions.serverVersion.gitVersion);
  });

  it('garbage-collects a ConfigMap owned by a custom resource once the resource is deleted', async () => {
    const widget = {
      apiVersion: 'e2e.gko.test/v1',
      kind: 'Widget',
      metadata: { name: 'blue', namespace },
      spec: { size: 3, colour: 'blue' },
    };
    await kubectlOk(cluster, ['apply', '-f', '-'], { input: JSON.stringify(widget) });
    const stored = JSON.parse(await kubectlOk(cluster, ['get', 'widget', 'blue', '-n', namespace, '-o', 'json'])) as {
      metadata: { uid: string };
      spec: unknown;
    };
    expect(stored.spec).toEqual({ size: 3, colour: 'blue' });

    const configMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'blue-config',
        namespace,
        ownerReferences: [{ apiVersion: 'e2e.gko.test/v1', kind: 'Widget', name: 'blue', uid: stored.metadata.uid }],
      },
      data: { colour: 'blue' },
    };
    await kubectlOk(cluster, ['apply', '-f', '-'], { input: JSON.stringify(configMap) });
    expect(
      await kubectlOk(cluster, ['get', 'configmap', 'blue-config', '-n', namespace, '-o', 'jsonpath={.data.colour}']),
    ).toBe('blue');

    await kubectlOk(cluster, ['delete', 'widget', 'blue', '-n', namespace]);
    const result = await kubectl(
      cluster,
      ['wait', '--for=delete', 'configmap/blue-config', '-n', namespace, '--timeout=120s'],
      {
        timeoutMs: 130_000,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const gone = await kubectl(cluster, ['get', 'configmap', 'blue-config', '-n', namespace]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('NotFound');
  });
});
