// The parts of a networking.k8s.io/v1 Ingress the controller reads, and the fields it writes (status).
import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';

export interface IngressServiceBackend {
  name?: string;
  port?: { number?: number; name?: string };
}

export interface IngressBackend {
  service?: IngressServiceBackend;
  resource?: { kind?: string; name?: string };
}

export interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}

export interface IngressLoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

export interface Ingress extends KubernetesObject {
  metadata: V1ObjectMeta & { name: string };
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: IngressRule[];
  };
  status?: { loadBalancer?: { ingress?: IngressLoadBalancerIngress[] } };
}

/** "namespace/name" of the TLS Secrets an Ingress names (same namespace), each once, in order. */
export function tlsSecretsOf(ingress: Ingress): string[] {
  const namespace = ingress.metadata.namespace ?? '';
  const names = (ingress.spec?.tls ?? []).map((t) => t.secretName).filter((n): n is string => !!n);
  return [...new Set(names)].map((name) => `${namespace}/${name}`);
}
