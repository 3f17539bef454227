// The PEM registries of the gateways: ConfigMaps labelled gravitee.io/component=kubernetes-pem-registry
// (and, to serve one class only, kubernetes.io/ingress.class), in which each Ingress with TLS has a key
// "<namespace>-<name>" listing its Secrets as "namespace/name"; gateways load the certificates of the
// Secrets listed. The desired content is computed from every Ingress at once (level-triggered), so an
// Ingress that is deleted, changes class or drops a Secret is unregistered by the same computation.
// Only keys this controller wrote are ever removed: a registry may be shared with other writers.
import { createHash } from 'node:crypto';
import { INGRESS_CLASS_ANNOTATION, ingressClassOf } from '@gko/api';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Ingress } from './ingress.ts';

export const PEM_REGISTRY_COMPONENT_LABEL = 'gravitee.io/component';
export const PEM_REGISTRY_COMPONENT = 'kubernetes-pem-registry';
/**
 * The keys of the registry this controller wrote (JSON list): the only ones it may remove. An
 * installation handling other classes than the default keeps its own list (the name gets a suffix
 * from its classes), so that two installations sharing a registry never remove each other's keys.
 */
export const REGISTERED_KEYS_ANNOTATION = 'ingress.gravitee.io/registered-keys';

export function registeredKeysAnnotation(classes: readonly string[]): string {
  const sorted = [...classes].sort();
  if (sorted.length === 1 && sorted[0] === 'graviteeio') return REGISTERED_KEYS_ANNOTATION;
  return `${REGISTERED_KEYS_ANNOTATION}-${createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 8)}`;
}

export interface RegistryWriter {
  /** The annotation listing the keys this controller wrote (registeredKeysAnnotation). */
  keysAnnotation: string;
  /** The keys of live Ingresses this controller does not handle: never taken over from upstream. */
  foreignKeys: ReadonlySet<string>;
}

const SOLE_WRITER: RegistryWriter = { keysAnnotation: REGISTERED_KEYS_ANNOTATION, foreignKeys: new Set() };
/** Changes whenever a registered certificate does: a rotated Secret makes the registry change too. */
export const CERTIFICATES_ANNOTATION = 'ingress.gravitee.io/certificates';
/** Upstream's signal to the gateways that the keystore must be reloaded. */
export const UPDATE_TIMESTAMP_ANNOTATION = 'updateTimestamp';

export interface RegistryConfigMap extends KubernetesObject {
  data?: Record<string, string>;
}

/** An index of the registries among the ConfigMaps, so that finding them is not a scan of them all. */
export const PEM_REGISTRY_INDEX = 'pemRegistry';
export const pemRegistryIndexValues = (object: KubernetesObject) => (isPemRegistry(object) ? ['registry'] : []);
export const pemRegistries = (cache: { byIndex(kind: string, index: string, value: string): KubernetesObject[] }) =>
  cache.byIndex('ConfigMap', PEM_REGISTRY_INDEX, 'registry');

export function isPemRegistry(object: KubernetesObject): boolean {
  return (
    object.kind === 'ConfigMap' && object.metadata?.labels?.[PEM_REGISTRY_COMPONENT_LABEL] === PEM_REGISTRY_COMPONENT
  );
}

/** A registry serves the class in its label, or every class handled when it has none. */
export function registryServes(registry: KubernetesObject, ingressClass: string | undefined): boolean {
  const served = registry.metadata?.labels?.[INGRESS_CLASS_ANNOTATION];
  return !served || served === ingressClass;
}

export const registryKey = (ingress: Ingress) => `${ingress.metadata.namespace}-${ingress.metadata.name}`;

export interface RegisteredIngress {
  ingress: Ingress;
  /** Its Secrets that passed the key-pair check, with the version checked. */
  secrets: { id: string; version: string }[];
}

export interface RegistryContent {
  data: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * What the registry should hold: its keys written by others untouched, one key per Ingress of a class
 * it serves with at least one valid Secret, and none left for Ingresses that have gone.
 */
export function desiredRegistry(
  registry: RegistryConfigMap,
  registered: RegisteredIngress[],
  writer: RegistryWriter = SOLE_WRITER,
): RegistryContent {
  const previous = registeredKeys(registry, writer);
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(registry.data ?? {})) if (!previous.includes(key)) data[key] = value;
  const versions: string[] = [];
  const ours: string[] = [];
  for (const { ingress, secrets } of registered) {
    if (!registryServes(registry, ingressClassOf(ingress)) || secrets.length === 0) continue;
    const key = registryKey(ingress);
    // Two Ingresses may share a key (team-a/shop and team/a-shop): their Secrets are listed together.
    const listed = ours.includes(key) ? (JSON.parse(data[key]!) as string[]) : [];
    data[key] = JSON.stringify([...new Set([...listed, ...secrets.map((s) => s.id)])].sort());
    if (!ours.includes(key)) ours.push(key);
    versions.push(...secrets.map((s) => `${key}:${s.id}@${s.version}`));
  }
  return {
    data,
    annotations: {
      [writer.keysAnnotation]: JSON.stringify(ours.sort()),
      [CERTIFICATES_ANNOTATION]: createHash('sha256').update(versions.sort().join('\n')).digest('hex').slice(0, 32),
    },
  };
}

const parsed = (text: string | undefined): unknown => {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
};

/**
 * The keys this controller wrote. A registry it never wrote to may hold keys upstream's operator
 * wrote, in the same form ("<ns>-<name>" listing Secrets of namespace <ns>): they are taken as its
 * own, so that the keys of Ingresses gone before the take-over do not stay for ever.
 */
function listedKeys(text: string | undefined): string[] {
  const keys = parsed(text);
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

function registeredKeys(registry: RegistryConfigMap, writer: RegistryWriter): string[] {
  const annotations = registry.metadata?.annotations ?? {};
  const annotation = annotations[writer.keysAnnotation];
  if (annotation !== undefined) return listedKeys(annotation);
  // Never another writer's keys, nor the key of a live Ingress of a class not handled here.
  const others = new Set(
    Object.entries(annotations)
      .filter(([name]) => name.startsWith(REGISTERED_KEYS_ANNOTATION) && name !== writer.keysAnnotation)
      .flatMap(([, value]) => listedKeys(value)),
  );
  return Object.entries(registry.data ?? {})
    .filter(([key]) => !others.has(key) && !writer.foreignKeys.has(key))
    .filter(([key, value]) => {
      const list = parsed(value);
      return (
        Array.isArray(list) &&
        list.length > 0 &&
        list.every(
          (item) => typeof item === 'string' && /^[^/]+\/[^/]+$/.test(item) && key.startsWith(`${item.split('/')[0]}-`),
        )
      );
    })
    .map(([key]) => key);
}
