// The reconciler of one PEM registry ConfigMap: computes its content from every handled Ingress and
// writes it when it differs. A registry written to with new content also gets a new updateTimestamp,
// the gateways' signal to reload their certificates.
import { isHandledIngress } from '@gko/api';
import { apiRequest, CONFIG_MAPS, isNotFound, objectPath } from '@gko/kube';
import { jsonEqual } from '@gko/runtime';
import type { ObjectKey, ReconcileContext, Reconciler } from '../../reconcile/contract.ts';
import type { Outcome } from '../../reconcile/result.ts';
import { tlsSecretsOf, type Ingress } from './ingress.ts';
import {
  desiredRegistry,
  isPemRegistry,
  registeredKeysAnnotation,
  registryKey,
  UPDATE_TIMESTAMP_ANNOTATION,
  type RegisteredIngress,
  type RegistryConfigMap,
} from './pem-registry.ts';
import type { IngressSettings } from './settings.ts';
import type { KeyPairChecks } from './tls.ts';

/** The handled Ingresses and their Secrets that pass the key-pair check. */
export function registeredIngresses(
  context: ReconcileContext,
  settings: IngressSettings,
  keyPairs: KeyPairChecks,
): RegisteredIngress[] {
  return (context.cache.list('Ingress') as Ingress[])
    .filter((i) => !i.metadata.deletionTimestamp && isHandledIngress(i, settings.classes))
    .map((ingress) => ({
      ingress,
      secrets: tlsSecretsOf(ingress).flatMap((id) => {
        const [namespace = '', name = ''] = id.split('/');
        const verdict = keyPairs.check(context.cache.get('Secret', namespace, name), id);
        // Not a reason to take a certificate off the gateways: the registry waits for the read.
        if (!verdict.ok && verdict.reason === 'TLSSecretNotRead') throw new Error(verdict.message);
        return verdict.ok ? [{ id, version: verdict.version }] : [];
      }),
    }));
}

export function pemRegistryReconciler(settings: IngressSettings, keyPairs: KeyPairChecks): Reconciler {
  const keysAnnotation = registeredKeysAnnotation(settings.classes);
  return async (key: ObjectKey, context: ReconcileContext): Promise<Outcome> => {
    const registry: RegistryConfigMap | undefined = context.cache.get('ConfigMap', key.namespace, key.name);
    if (!registry || registry.metadata?.deletionTimestamp || !isPemRegistry(registry)) return { kind: 'done' };
    const foreignKeys = new Set(
      (context.cache.list('Ingress') as Ingress[])
        .filter((i) => !isHandledIngress(i, settings.classes))
        .map(registryKey),
    );
    const desired = desiredRegistry(registry, registeredIngresses(context, settings, keyPairs), {
      keysAnnotation,
      foreignKeys,
    });
    const annotations = registry.metadata?.annotations ?? {};
    const unchanged =
      jsonEqual(registry.data ?? {}, desired.data) &&
      Object.entries(desired.annotations).every(([k, v]) => annotations[k] === v);
    if (unchanged) return { kind: 'done' };
    try {
      await apiRequest(context.kube, {
        method: 'PUT',
        path: objectPath(CONFIG_MAPS, key),
        body: {
          ...registry,
          metadata: {
            ...registry.metadata,
            annotations: {
              ...annotations,
              ...desired.annotations,
              [UPDATE_TIMESTAMP_ANNOTATION]: context.now().toISOString(),
            },
          },
          data: desired.data,
        },
      });
    } catch (error) {
      if (isNotFound(error)) return { kind: 'done' };
      throw error;
    }
    context.logger.info('PEM registry updated', { keys: Object.keys(desired.data).length });
    return { kind: 'done' };
  };
}
