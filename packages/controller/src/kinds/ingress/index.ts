// The Ingress controller as one piece the manager runs (ENABLE_INGRESS): the reconcilers of Ingresses
// and of PEM registries, the indexes that find the Ingresses naming a template or a Secret, and the
// routes that bring them back when one of those changes.
import {
  INGRESS_CLASS_ANNOTATION,
  ingressClassOf,
  isHandledIngress,
  isIngressTemplate,
  templateNameOf,
} from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformerEvent } from '@gko/kube';
import type { CacheReader } from '../../reconcile/contract.ts';
import type { ManagerExtension, Target } from '../../runtime/extension.ts';
import { ingressOwner } from './generated-api.ts';
import { tlsSecretsOf, type Ingress } from './ingress.ts';
import { isPemRegistry, PEM_REGISTRY_INDEX, pemRegistries, pemRegistryIndexValues } from './pem-registry.ts';
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

  const ingressTarget = (ingress: KubernetesObject): Target => ({ kind: 'Ingress', key: keyOf(ingress) });
  const handledIngresses = (cache: CacheReader) => (cache.list('Ingress') as Ingress[]).filter(handled);
  const registries = (cache: CacheReader) =>
    pemRegistries(cache).map((c): Target => ({ kind: PEM_REGISTRY, key: keyOf(c) }));

  // The template each handled Ingress named when last seen, to tell the one it stops naming.
  const templatesNamed = new Map<string, string>();
  // What the registries read of each handled Ingress, as last seen: its class and its Secrets.
  const registryViews = new Map<string, string>();
  const registryView = (o: KubernetesObject) =>
    handled(o) && !o.metadata?.deletionTimestamp ? `${ingressClassOf(o)}|${tlsSecretsOf(o as Ingress).join(',')}` : '';
  // The generation of each template, and that it is one, as last seen.
  const templateViews = new Map<string, string>();
  // The class each registry serves ('' for all), as last seen.
  const servedClasses = new Map<string, string>();
  const registryLabel = (o: KubernetesObject) => o.metadata?.labels?.[INGRESS_CLASS_ANNOTATION] ?? '';

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
        // The registries only when what they read of it changed (not for a status write, say).
        const read = event === 'delete' ? '' : registryView(object);
        const changed = read !== (registryViews.get(key) ?? '');
        if (read) registryViews.set(key, read);
        else registryViews.delete(key);
        return [
          ...[...templates].map((t) => ({ kind: 'ApiDefinition', key: `${namespace}/${t}` })),
          ...(changed ? registries(cache) : []),
          // The manager does not reconcile a deleted object: its reconciler forgets it then.
          ...(event === 'delete' ? [ingressTarget(object)] : []),
        ];
      }
      case 'ApiDefinition': {
        // A template's Ingresses follow its spec, and whether it is one at all; not its status.
        const key = keyOf(object);
        const previous = templateViews.get(key);
        const view = event === 'delete' ? undefined : `${object.metadata?.generation}|${isIngressTemplate(object)}`;
        if (view && isIngressTemplate(object)) templateViews.set(key, view);
        else templateViews.delete(key);
        const targets: Target[] = [];
        if (view !== previous) targets.push(...cache.byIndex('Ingress', TEMPLATE_INDEX, key).map(ingressTarget));
        // A generated API changed or deleted by someone else: its Ingress puts it back.
        const owner = ingressOwner(object);
        if (owner && event !== 'add') targets.push({ kind: 'Ingress', key: `${namespace}/${owner.name}` });
        return targets;
      }
      case 'Secret': {
        const users = cache.byIndex('Ingress', TLS_SECRET_INDEX, keyOf(object));
        if (users.length === 0) return [];
        return [...users.map(ingressTarget), ...registries(cache)];
      }
      case 'ConfigMap': {
        const key = keyOf(object);
        if (isPemRegistry(object) || servedClasses.has(key)) {
          // A registry that comes, goes or changes class clears or fails the Ingresses with TLS.
          const served = event !== 'delete' && isPemRegistry(object) ? registryLabel(object) : undefined;
          const moved = served !== servedClasses.get(key);
          if (served !== undefined) servedClasses.set(key, served);
          else servedClasses.delete(key);
          return [
            ...(served !== undefined ? [{ kind: PEM_REGISTRY, key }] : []),
            ...(moved ? handledIngresses(cache).filter((i) => tlsSecretsOf(i).length > 0) : []).map(ingressTarget),
          ];
        }
        const notFound = settings.notFound;
        if (notFound && namespace === notFound.namespace && object.metadata?.name === notFound.name)
          return handledIngresses(cache).map(ingressTarget);
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
      { kind: 'ConfigMap', name: PEM_REGISTRY_INDEX, values: pemRegistryIndexValues },
      { kind: 'Ingress', name: TLS_SECRET_INDEX, values: (o) => (handled(o) ? tlsSecretsOf(o as Ingress) : []) },
    ],
    sources: (object) =>
      object.kind === 'Ingress' && handled(object)
        ? tlsSecretsOf(object as Ingress).map((key) => {
            const [namespace = '', name = ''] = key.split('/');
            return { kind: 'Secret', namespace, name };
          })
        : [],
    readsData: (object, cache) =>
      object.kind === 'Secret'
        ? cache.byIndex('Ingress', TLS_SECRET_INDEX, keyOf(object)).length > 0
        : isPemRegistry(object) ||
          (!!settings.notFound &&
            object.metadata?.namespace === settings.notFound.namespace &&
            object.metadata?.name === settings.notFound.name),
    route,
    start({ kube, logger, enqueue, cache }) {
      published.start(kube, logger.child({ component: 'ingress-address' }), () => {
        for (const ingress of handledIngresses(cache)) enqueue(ingressTarget(ingress));
      });
    },
    stop() {
      published.stop();
    },
  };
}
