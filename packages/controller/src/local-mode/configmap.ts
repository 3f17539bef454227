// Local mode: instead of reading APIs from APIM's database, gateways with Kubernetes sync enabled
// deploy the APIs they find in ConfigMaps. This module holds what every such ConfigMap has in common,
// whatever the definition version.
//
// The gateway side is APIM's gateway-services-sync, process/kubernetes/fetcher/ConfigMapEventFetcher.java:
// it lists and watches ConfigMaps by the two labels below, reads `definition`, `environmentId` and
// `apiDefinitionVersion` (absent means a v2 definition), and takes the ConfigMap's resourceVersion as
// the deployment number. The operator side follows GKO's
// controllers/apim/apidefinition/internal/config_map.go.
import { API_VERSION } from '@gko/api';
import { stableStringify } from '@gko/runtime';

/**
 * The labels gateways select ConfigMaps by. v4 APIs carry the same `gio-type` as v2 ones: gateways
 * watch a single selector and tell the versions apart by the data.
 */
export const LOCAL_MODE_LABELS: Readonly<Record<string, string>> = Object.freeze({
  'managed-by': 'gravitee.io',
  'gio-type': 'apidefinitions.gravitee.io',
});

export const DEFINITION_KEY = 'definition';
export const ORGANIZATION_ID_KEY = 'organizationId';
export const ENVIRONMENT_ID_KEY = 'environmentId';
/** Only on v4 ConfigMaps: without it gateways parse the definition as a v2 one. */
export const API_DEFINITION_VERSION_KEY = 'apiDefinitionVersion';

/** What GKO writes for an API that no APIM environment knows (no context). */
export const DEFAULT_ORGANIZATION_ID = 'DEFAULT';
export const DEFAULT_ENVIRONMENT_ID = 'DEFAULT';

/**
 * Where and under which ids the caller deploys the API. The ids are inputs rather than computed here
 * because they depend on whether APIM knows the API (its ids, from the status, win).
 */
export interface LocalDeployment {
  /** The API id the gateway deploys under. */
  id: string;
  /** Carried for traceability; gateways do not use it. */
  crossId?: string;
  /** APIM organization of the API; DEFAULT without a context. Gateways do not read it. */
  organizationId?: string;
  /** APIM environment of the API; DEFAULT without a context. */
  environmentId?: string;
  /**
   * APIM plan ids, keyed as `status.plans` is: by plan HRID (the normalised map key) for v4, by plan
   * crossId for v2. Plans not listed get a deterministic id.
   */
  planIds?: Record<string, string>;
}

export interface LocalOwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

/** A ConfigMap, shaped so that it can be sent as is and is assignable to client-node's V1ConfigMap. */
export interface LocalConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    ownerReferences: LocalOwnerReference[];
  };
  data: Record<string, string>;
}

/** The API custom resource a ConfigMap is written for. */
export interface LocalModeApi {
  kind: string;
  metadata: { name?: string; namespace?: string; uid?: string };
}

export interface LocalPayload {
  /** The definition in the form gateways parse. */
  definition: unknown;
  /** `4.0.0` for v4 definitions, left out for v2 ones. */
  apiDefinitionVersion?: string;
}

/**
 * The ConfigMap of an API: named like it, in its namespace, and owned by it so that deleting the API
 * deletes the ConfigMap (and so the gateways undeploy it).
 */
export function localConfigMap(api: LocalModeApi, payload: LocalPayload, deployment: LocalDeployment): LocalConfigMap {
  const { name, namespace, uid } = api.metadata;
  // An owner reference without a uid is refused by kube-apiserver, and a ConfigMap elsewhere than
  // next to its API could not be owned by it: objects read from the cluster always have all three.
  if (!name || !namespace || !uid) {
    throw new Error(`a local-mode ConfigMap needs the name, namespace and uid of its ${api.kind}`);
  }
  const data: Record<string, string> = {
    // Keys sorted: equal definitions give equal text whatever order their fields were read in, so an
    // unchanged API never rewrites its ConfigMap (each rewrite is a new resourceVersion, which
    // gateways take as a new deployment of the API).
    [DEFINITION_KEY]: stableStringify(payload.definition),
    [ORGANIZATION_ID_KEY]: deployment.organizationId || DEFAULT_ORGANIZATION_ID,
    [ENVIRONMENT_ID_KEY]: deployment.environmentId || DEFAULT_ENVIRONMENT_ID,
  };
  if (payload.apiDefinitionVersion) data[API_DEFINITION_VERSION_KEY] = payload.apiDefinitionVersion;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace,
      labels: { ...LOCAL_MODE_LABELS },
      // GKO sets neither controller nor blockOwnerDeletion. Marking the API as the controller lets
      // tools tell who manages the ConfigMap; blocking owner deletion makes foreground deletion of
      // the API wait for the ConfigMap. (Where OwnerReferencesPermissionEnforcement is on, setting
      // blockOwnerDeletion needs update on the API kind's finalizers subresource.)
      ownerReferences: [
        { apiVersion: API_VERSION, kind: api.kind, name, uid, controller: true, blockOwnerDeletion: true },
      ],
    },
    data,
  };
}

/**
 * Whether a ConfigMap is one gateways deploy, that this operator (or GKO, which labels them the same)
 * wrote. Given the API, also whether it belongs to that API: a ConfigMap named like an API but written
 * by someone else must be neither overwritten nor deleted.
 */
export function isLocalModeConfigMap(
  configMap: { metadata?: { labels?: Record<string, string>; ownerReferences?: { uid: string }[] } },
  owner?: LocalModeApi,
): boolean {
  const labels = configMap.metadata?.labels ?? {};
  const labelled = Object.entries(LOCAL_MODE_LABELS).every(([key, value]) => labels[key] === value);
  if (!labelled || !owner) return labelled;
  return (configMap.metadata?.ownerReferences ?? []).some((ref) => ref.uid === owner.metadata.uid);
}

type Definition = { id?: string; crossId?: string; plans?: { name?: string; id?: string; crossId?: string }[] };

/**
 * What gateways deploy a ConfigMap as: its keys, organization and environment, and the ids of the API
 * and of its plans. Two ConfigMaps alike in these deploy the same API under the same ids, whatever
 * else their definitions say (upstream's operator writes more fields, in another form).
 */
export function deploymentIdentity(configMap: { data?: Record<string, string> }): string {
  const data = configMap.data ?? {};
  let definition: Definition;
  try {
    definition = JSON.parse(data[DEFINITION_KEY] ?? '{}') as Definition;
  } catch {
    // Unreadable: it deploys nothing, and matches nothing.
    return 'unreadable';
  }
  const plans = (definition.plans ?? []).map((p) => [p.name ?? '', p.id ?? '', p.crossId ?? ''].join('|')).sort();
  return JSON.stringify({
    keys: Object.keys(data).sort(),
    organizationId: data[ORGANIZATION_ID_KEY],
    environmentId: data[ENVIRONMENT_ID_KEY],
    id: definition.id ?? '',
    crossId: definition.crossId ?? '',
    plans,
  });
}
