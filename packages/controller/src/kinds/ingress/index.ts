// The Ingress controller as one piece the manager runs (ENABLE_INGRESS): the reconcilers of Ingresses
// and of PEM registries, the indexes that find the Ingresses naming a template or a Secret, and the
// routes that bring them back when one of those changes.
import { isHandledIngress, isIngressTemplate, templateNameOf } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent } from '@gko/kube';
import type { CacheReader } from '../../reconcile/contract.ts';
import type { ManagerExtension, Target } from '../../runtime/extension.ts';
import { ingressOwner } from './generated-api.ts';
import { tlsSecretsOf, type Ingress } from './ingress.ts';
import { isPemRegistry } from './pem-registry.ts';
import { pemRegistryReconciler } from './pem-registry-reconcile.ts';
import { PublishedAddress } from './published-address.ts';
import { ingressReconciler } from './reconcile.ts';
import type { IngressSettings } from './settings.ts';
import { KeyPairChecks } from './tls.ts';
import { TEMPLATE_INDEX } from './template-users.ts';

export type { IngressSettings } from './settings.ts';

/** The controller key of PEM registries (they are ConfigMaps: the kind is a name of their own). */
export const PEM_REGISTRY = 'PemRegistry';
export const TLS_SECRET_INDEX = 'ingressTlsSecrets';

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

export function ingressExtension(settings: IngressSettings): ManagerExtension {
  const keyPairs = new KeyPairChecks();
  const published = new PublishedAddress(settings);
  const handled = (o: KubernetesObject) => isHandledIngress(o, settings.classes);

  const handledIngresses = (cache: CacheReader) =>
    cache
      .list('Ingress')
      .filter(handled)
      .map((i): Target => ({ kind: 'Ingress', key: keyOf(i) }));
  const registries = (cache: CacheReader) =>
    cache
      .list('ConfigMap')
      .filter(isPemRegistry)
      .map((c): Target => ({ kind: PEM_REGISTRY, key: keyOf(c) }));

  // The template each handled Ingress named when last seen, to tell the one it stops naming.
  const templatesNamed = new Map<string, string>();

  function route(object: KubernetesObject, event: InformerEvent, cache: CacheReader): Target[] {
    if (event === 'resync') return [];
    const namespace = object.metadata?.namespace ?? '';
    switch (object.kind) {
      case 'Ingress': {
        // The templates it names and named: whether they are still held depends on it.
        const key = keyOf(object);
        const named = event !== 'delete' && handled(object) ? templateNameOf(object) : undefined;
        const templates = new Set([templatesNamed.get(key), named].filter((t): t is string => !!t));
        if (named) templatesNamed.set(key, named);
        else templatesNamed.delete(key);
        return [
          ...[...templates].map((t) => ({ kind: 'ApiDefinition', key: `${namespace}/${t}` })),
          // Any change of any Ingress may add or drop registry keys (a class changed counts too).
          ...registries(cache),
        ];
      }
      case 'ApiDefinition': {
        const targets: Target[] = [];
        if (isIngressTemplate(object))
          targets.push(
            ...cache.byIndex('Ingress', TEMPLATE_INDEX, keyOf(object)).map((i) => ({ kind: 'Ingress', key: keyOf(i) })),
          );
        // A generated API changed or deleted by someone else: its Ingress puts it back.
        const owner = ingressOwner(object);
        if (owner && event !== 'add') targets.push({ kind: 'Ingress', key: `${namespace}/${owner.name}` });
        return targets;
      }
      case 'Secret': {
        const users = cache.byIndex('Ingress', TLS_SECRET_INDEX, keyOf(object));
        if (users.length === 0) return [];
        return [...users.map((i) => ({ kind: 'Ingress', key: keyOf(i) })), ...registries(cache)];
      }
      case 'ConfigMap': {
        if (isPemRegistry(object))
          // A registry that appears clears the Ingresses waiting for one.
          return [{ kind: PEM_REGISTRY, key: keyOf(object) }, ...(event === 'add' ? handledIngresses(cache) : [])];
        const notFound = settings.notFound;
        if (notFound && namespace === notFound.namespace && object.metadata?.name === notFound.name)
          return handledIngresses(cache);
        return [];
      }
      default:
        return [];
    }
  }

  return {
    controllers: [
      {
        kind: 'Ingress',
        reconcile: ingressReconciler({ settings, keyPairs, addresses: () => published.addresses() }),
      },
      { kind: PEM_REGISTRY, reconcile: pemRegistryReconciler(settings, keyPairs) },
    ],
    indexes: [
      {
        kind: 'Ingress',
        name: TEMPLATE_INDEX,
        values: (o) => {
          const template = handled(o) ? templateNameOf(o) : undefined;
          return template ? [`${o.metadata?.namespace ?? ''}/${template}`] : [];
        },
      },
      { kind: 'Ingress', name: TLS_SECRET_INDEX, values: (o) => (handled(o) ? tlsSecretsOf(o as Ingress) : []) },
    ],
    route,
    start({ kube, logger, enqueue, cache }) {
      published.start(kube, logger.child({ component: 'ingress-address' }), () => {
        for (const target of handledIngresses(cache)) enqueue(target);
      });
    },
    stop() {
      published.stop();
    },
  };
}
