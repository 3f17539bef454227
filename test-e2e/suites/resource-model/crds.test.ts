// Our CRDs, installed in a real kube-apiserver, as kubectl users see them.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KINDS } from '@gko/api';
import {
  apply,
  createNamespace,
  deleteNamespace,
  installCrds,
  kubectl,
  kubectlOk,
  patchStatus,
} from '../../src/index.ts';

const cluster = inject('controlPlane');
let namespace = '';

beforeAll(async () => {
  await installCrds(cluster);
  namespace = await createNamespace(cluster, 'crds');
});
afterAll(() => deleteNamespace(cluster, namespace));

describe('the CRDs', () => {
  it('all install and are established', async () => {
    const names = (await kubectlOk(cluster, ['get', 'crd', '-o', 'name'])).trim().split('\n');
    for (const kind of KINDS)
      expect(names).toContain(`customresourcedefinition.apiextensions.k8s.io/${kind.plural}.gravitee.io`);
  });

  it('group every kind under `kubectl get gravitee`', async () => {
    const objects = [
      { apiVersion: 'gravitee.io/v1alpha1', kind: 'Notification', metadata: { name: 'listed' }, spec: {} },
      {
        apiVersion: 'gravitee.io/v1alpha1',
        kind: 'ApiResource',
        metadata: { name: 'listed' },
        spec: { name: 'c', type: 'cache', configuration: {} },
      },
    ];
    expect((await apply(cluster, namespace, objects)).code).toBe(0);
    const listed = await kubectlOk(cluster, ['get', 'gravitee', '-n', namespace, '-o', 'name']);
    expect(listed.trim().split('\n').sort()).toEqual([
      'apiresource.gravitee.io/listed',
      'notification.gravitee.io/listed',
    ]);
  });

  it('explain fields with our descriptions', async () => {
    const explained = await kubectlOk(cluster, ['explain', 'apiv4definition.spec.plans']);
    expect(explained).toContain('Plans of the API, by key.');
    expect(explained).toMatch(/bootstrapPort\s+<integer>/);
    expect(await kubectlOk(cluster, ['explain', 'managementcontext.spec.cloud'])).toContain('Gravitee Cloud');
  });

  it('answer to their short names', async () => {
    for (const kind of KINDS) {
      for (const shortName of kind.shortNames) {
        const result = await kubectl(cluster, ['get', shortName, '-n', namespace]);
        expect(result.stderr, shortName).not.toContain("doesn't have a resource type");
        expect(result.code, shortName).toBe(0);
      }
    }
  });

  it('show printer columns, ending with Ready and Age', async () => {
    const table = await kubectlOk(cluster, ['get', 'notifications', '-n', namespace]);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+TARGET\s+EVENT TYPE\s+READY\s+AGE$/);
    expect(table).toMatch(/listed\s+console\s+api\s+/);
  });

  it('keep status in a subresource, with conditions and observedGeneration', async () => {
    const status = {
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Reconciled',
          message: 'in sync',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    await patchStatus(cluster, namespace, 'notification/listed', status);
    const ready = await kubectlOk(cluster, [
      'get',
      'notification',
      'listed',
      '-n',
      namespace,
      '-o',
      'jsonpath={.status.conditions[0].type}={.status.conditions[0].status} gen={.status.observedGeneration}',
    ]);
    expect(ready).toBe('Ready=True gen=1');
    // kubectl wait works on our conditions.
    await kubectlOk(cluster, ['wait', '--for=condition=Ready', 'notification/listed', '-n', namespace, '--timeout=5s']);
  });
});
