export * from './pki/index.ts';
export { createKubeClient, loadKubeConfig, type KubeClient } from './client/kube-client.ts';
export { Informer, type InformerEvent, type InformerHandler, type InformerOptions } from './informer/informer.ts';
export { ClusterCache, type ClusterCacheOptions, type ObjectCache } from './informer/cache.ts';
export { CONFIG_MAPS, GRAVITEE_RESOURCES, SECRETS, collectionPath, type ResourceType } from './informer/resource.ts';
