// Which handled Ingresses name a template, through the index the Ingress controller installs.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CacheReader } from '../../reconcile/contract.ts';

export const TEMPLATE_INDEX = 'ingressTemplate';

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** The Ingresses that name the template, as "Ingress namespace/name": they hold it. */
export function templateUsers(cache: CacheReader, template: KubernetesObject): string[] {
  return cache
    .byIndex('Ingress', TEMPLATE_INDEX, keyOf(template))
    .filter((i) => !i.metadata?.deletionTimestamp)
    .map((i) => `Ingress ${keyOf(i)}`)
    .sort();
}
