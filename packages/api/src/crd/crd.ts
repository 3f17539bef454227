// The CustomResourceDefinition of a kind, as kube-apiserver takes it.
import { API_VERSION, CATEGORY, GROUP, VERSION } from '../group.ts';
import type { KindDefinition } from '../kinds/kind.ts';
import { stripGeneratorKeys, type Schema } from '../schema/index.ts';

export function crdName(kind: KindDefinition): string {
  return `${kind.plural}.${GROUP}`;
}

/** The whole object schema of a kind: apiVersion, kind, metadata, spec and status. */
export function objectSchema(kind: KindDefinition): Schema {
  return stripGeneratorKeys({
    type: 'object',
    description: kind.description,
    properties: {
      apiVersion: { type: 'string', description: `API version of the object: ${API_VERSION}.` },
      kind: { type: 'string', description: `Kind of the object: ${kind.kind}.` },
      // kube-apiserver owns the metadata schema: a CRD may only say it is an object.
      metadata: { type: 'object' },
      spec: kind.spec,
      status: kind.status,
    },
    required: ['spec'],
  });
}

export function customResourceDefinition(kind: KindDefinition): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crdName(kind),
      labels: { 'app.kubernetes.io/name': 'gko-operator', 'app.kubernetes.io/component': 'crd' },
    },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.singular,
        shortNames: kind.shortNames,
        categories: [CATEGORY],
      },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: kind.printerColumns,
          schema: { openAPIV3Schema: objectSchema(kind) },
        },
      ],
    },
  };
}
