// Access to the Kubernetes API: a kubeconfig file (KUBECONFIG, or a given path) or, inside a Pod,
// the service account.
import { existsSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi, Watch } from '@kubernetes/client-node';

export interface KubeClient {
  config: KubeConfig;
  objects: KubernetesObjectApi;
  watch: Watch;
}

const IN_CLUSTER_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function loadKubeConfig(path?: string): KubeConfig {
  const config = new KubeConfig();
  if (path) config.loadFromFile(path);
  else if (!process.env['KUBECONFIG'] && existsSync(IN_CLUSTER_TOKEN)) config.loadFromCluster();
  else config.loadFromDefault();
  return config;
}

export function createKubeClient(config: KubeConfig): KubeClient {
  return { config, objects: KubernetesObjectApi.makeApiClient(config), watch: new Watch(config) };
}
