// What the controllers may do in the Kubernetes API, and nothing more: read and follow every kind of
// ours, write their status, finalizers and annotations; read Secrets; write the ConfigMaps gateways
// read; record Events; hold the leader Lease.
import { GROUP, KINDS } from '@gko/api';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export function controllerRbacRules(): PolicyRule[] {
  const plurals = KINDS.map((k) => k.plural);
  return [
    { apiGroups: [GROUP], resources: plurals, verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [GROUP], resources: plurals.map((p) => `${p}/status`), verbs: ['get', 'update', 'patch'] },
    // Owner references with blockOwnerDeletion on the ConfigMaps of APIs.
    { apiGroups: [GROUP], resources: plurals.map((p) => `${p}/finalizers`), verbs: ['update'] },
    // patch: the finalizer holding a ManagementContext's credentials, and releasing upstream's marks.
    { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'patch'] },
    {
      apiGroups: [''],
      resources: ['configmaps'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
  ];
}

/**
 * What the Ingress controller adds (ENABLE_INGRESS): follow Ingresses and write their status; create,
 * update and delete the ApiDefinitions it generates for them (owned by the Ingress, hence update on
 * its finalizers for blockOwnerDeletion). Reading the gateway Service whose address goes to the
 * status is granted apart, by name, in that Service's namespace.
 */
export function ingressControllerRbacRules(): PolicyRule[] {
  return [
    // patch: only to release the finalizer upstream's operator put on the Ingresses it handled.
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
    { apiGroups: ['networking.k8s.io'], resources: ['ingresses/finalizers'], verbs: ['update'] },
    { apiGroups: [GROUP], resources: ['apidefinitions'], verbs: ['create', 'update', 'delete'] },
  ];
}
