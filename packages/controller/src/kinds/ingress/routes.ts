// What an Ingress asks for, as routes: one per rule and path, each to one backend Service port. Pure;
// whatever the gateway cannot do as written is a problem naming the field, so that the Ingress is
// refused as a whole rather than served in part.
import type { Ingress } from './ingress.ts';

export interface Route {
  /** The rule's host; any host when absent. */
  host?: string;
  /** The context path the gateway matches (the Ingress path, "/" when absent). */
  path: string;
  /** pathType Exact: only the path itself, nothing below it. */
  exact: boolean;
  /** The endpoint the route leads to. */
  endpoint: string;
  /** Where the route is declared, for messages. */
  field: string;
}

export interface Endpoint {
  name: string;
  target: string;
}

export interface Routes {
  routes: Route[];
  endpoints: Endpoint[];
  /** Fields the gateway cannot serve as written: the Ingress is not deployed until they change. */
  problems: string[];
  /** Fields that are ignored, said once in an Event. */
  warnings: string[];
}

/** The in-cluster address of a Service port, as endpoints of generated APIs call it. */
export const serviceTarget = (service: string, namespace: string, port: number) =>
  `http://${service}.${namespace}.svc.cluster.local:${port}`;

const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function ingressRoutes(ingress: Ingress): Routes {
  const namespace = ingress.metadata.namespace ?? '';
  const routes: Route[] = [];
  const endpoints = new Map<string, Endpoint>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  if (ingress.spec?.defaultBackend)
    warnings.push(
      'spec.defaultBackend is not used: requests matching no rule get the not-found response of the controller',
    );
  (ingress.spec?.rules ?? []).forEach((rule, r) => {
    const host = rule.host || undefined;
    if (host !== undefined && !HOST.test(host))
      problems.push(
        `spec.rules[${r}].host: ${host} cannot be served: the gateway matches exact host names only (no wildcard)`,
      );
    (rule.http?.paths ?? []).forEach((p, i) => {
      const field = `spec.rules[${r}].http.paths[${i}]`;
      const path = p.path || '/';
      const exact = p.pathType === 'Exact';
      const service = p.backend?.service;
      if (p.backend?.resource || !service?.name) {
        problems.push(`${field}.backend: only Service backends can be routed to by the gateway`);
        return;
      }
      const port = service.port?.number;
      if (port === undefined) {
        problems.push(`${field}.backend.service.port: give the port by number; port names are not resolved`);
        return;
      }
      if (/[{}]/.test(path)) {
        problems.push(`${field}.path: ${path} cannot be routed: the gateway reads braces as expressions`);
        return;
      }
      // The gateway matches a context path with or without its trailing slash: one route for both.
      const key = `${host ?? ''}|${path.replace(/\/+$/, '') || '/'}`;
      const first = seen.get(key);
      if (first) {
        problems.push(`${field}: host ${host ?? '(any)'} and path ${path} are already routed by ${first}`);
        return;
      }
      seen.set(key, field);
      const name = `${service.name}-${port}`;
      endpoints.set(name, { name, target: serviceTarget(service.name, namespace, port) });
      routes.push({ ...(host ? { host } : {}), path, exact, endpoint: name, field });
    });
  });
  if (routes.length === 0 && problems.length === 0)
    problems.push('spec.rules: no HTTP path to route: the gateway would have nothing to serve');
  return { routes, endpoints: [...endpoints.values()], problems, warnings };
}
