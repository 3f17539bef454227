// Certificates are at @gko/kube/pki: their libraries are heavy, and most importers do not need them.
export { loadKubeConnection, type KubeConnection, type LoadKubeConnectionOptions } from './client/connection.ts';
export { connectionFor, type ConnectionSettings, type Credentials } from './client/connection-for.ts';
export { watchStream, type WatchEvent, type WatchStreamRequest } from './client/watch.ts';
export { Informer, type InformerEvent, type InformerHandler } from './informer/informer.ts';
export { type InformerOptions, type RestartReason } from './informer/informer-options.ts';
export { dropManagedFields, type ObjectTransform } from './informer/transform.ts';
export { DataNotLoadedError, isWithoutData, type KeepData } from './informer/data-policy.ts';
export { type IndexFunction } from './informer/object-index.ts';
export { ClusterCache, NOT_LISTED_YET, type ClusterCacheOptions, type ObjectCache } from './informer/cache.ts';
export {
  CONFIG_MAPS,
  GRAVITEE_RESOURCES,
  INGRESSES,
  SECRETS,
  SERVICES,
  collectionPath,
  type ResourceType,
} from './informer/resource.ts';
export {
  apiRequest,
  DEFAULT_KUBE_TIMEOUT_MS,
  isConflict,
  isNotFound,
  KubeApiError,
  type ApiRequest,
} from './client/api-request.ts';
export { grantedData, objectData } from './client/object-data.ts';
export { getObject } from './client/get-object.ts';
export { objectPath, type ObjectKey } from './writes/paths.ts';
export { patchStatusFields, writeStatus } from './writes/status.ts';
export { addFinalizer, removeFinalizers } from './writes/metadata.ts';
export { createEventRecorder, type EventRecorder, type EventRecorderOptions, type EventType } from './writes/events.ts';
export { WorkQueue, type WorkQueueOptions } from './queue/work-queue.ts';
export { TokenBucket, type TokenBucketOptions } from './queue/rate-limiter.ts';
export { LeaderElector, type LeaderElectionOptions } from './leader/leader-election.ts';
export { MemoryLeaseStore } from './leader/memory-lease-store.ts';
export {
  formatMicroTime,
  kubernetesLeaseStore,
  LeaseConflictError,
  type KubernetesLeaseStoreOptions,
  type LeaseRecord,
  type LeaseStore,
} from './leader/lease-store.ts';
