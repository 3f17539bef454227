// The ApiDefinition an Ingress becomes: its routes as virtual hosts, one endpoint per backend Service
// port, one flow per route that sends the request to its endpoint, a last flow answering "not found"
// when no route matched, then the template's own flows; plans and everything else from the template
// (or one keyless plan). Pure: the same Ingress and template always give the same object.
import {
  API_VERSION,
  EXTENDS_ANNOTATION,
  EXTENDS_INGRESS,
  GENERATED_FROM_TEMPLATE_ANNOTATION,
  type ApiDefinition,
} from '@gko/api';
import type { Ingress } from './ingress.ts';
import type { Route, Routes } from './routes.ts';

export interface NotFoundResponse {
  content: string;
  contentType: string;
}

export const DEFAULT_NOT_FOUND: NotFoundResponse = {
  content: 'No context-path matches the request URI.',
  contentType: 'text/plain',
};

type Spec = ApiDefinition['spec'];
type Flow = NonNullable<Spec['flows']>[number];

/** Without a template: the API is open (one published keyless plan) and deployed to the gateways. */
export const DEFAULT_PLANS: NonNullable<Spec['plans']> = [
  { name: 'Key Less', description: 'Open access, no key needed', security: 'KEY_LESS', status: 'PUBLISHED' },
];

/** An Expression Language (SpEL) string literal: a quote is doubled; a backslash is an ordinary character. */
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** The request's host, with or without a port. */
const hostIs = (host: string) =>
  `(#request.host == ${literal(host)} || #request.host.startsWith(${literal(`${host}:`)}))`;

/** The gateway hands the API the virtual host path it matched, with or without its trailing slash. */
function contextPathIs(path: string): string {
  const bare = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const variants = [...new Set([bare, bare === '/' ? '/' : `${bare}/`])];
  return `(${variants.map((v) => `#request.contextPath == ${literal(v)}`).join(' || ')})`;
}

/**
 * When a route applies: its host (a rule without host takes the hosts that no rule of the Ingress
 * declares, as a host's rules are all it serves), its context path, and for Exact paths nothing below it.
 */
function routeCondition(route: Route, routes: Route[]): string {
  const parts: string[] = [];
  if (route.host) parts.push(hostIs(route.host));
  else {
    const claimed = [...new Set(routes.filter((r) => r.host).map((r) => r.host!))];
    parts.push(...claimed.map((h) => `!${hostIs(h)}`));
  }
  parts.push(contextPathIs(route.path));
  if (route.exact) parts.push(`(#request.pathInfo == '' || #request.pathInfo == '/')`);
  return parts.join(' && ');
}

/** A condition as the gateway evaluates it: braces around an expression that opens with a parenthesis. */
const expression = (condition: string) => `{(${condition})}`;

function routeFlow(route: Route, routes: Route[]): Flow {
  return {
    name: `${route.host ?? '*'}${route.path} → ${route.endpoint}`,
    enabled: true,
    condition: expression(routeCondition(route, routes)),
    methods: [],
    'path-operator': { path: '/', operator: route.exact ? 'EQUALS' : 'STARTS_WITH' },
    pre: [
      {
        name: 'Route to the backend Service',
        policy: 'dynamic-routing',
        enabled: true,
        configuration: { rules: [{ pattern: '(.*)', url: `{#endpoints['${route.endpoint}']}{#request.path}` }] },
      },
    ],
    post: [],
  };
}

function notFoundFlow(routes: Route[], response: NotFoundResponse): Flow {
  return {
    name: 'No route found',
    enabled: true,
    condition: expression(routes.map((r) => `!(${routeCondition(r, routes)})`).join(' && ')),
    methods: [],
    'path-operator': { path: '/', operator: 'STARTS_WITH' },
    pre: [
      {
        name: 'Not found',
        policy: 'mock',
        enabled: true,
        configuration: {
          status: '404',
          headers: [{ name: 'Content-Type', value: response.contentType }],
          content: response.content,
        },
      },
    ],
    post: [],
  };
}

export interface GeneratedApiInput {
  ingress: Ingress;
  routes: Routes;
  /** The template named by the Ingress, if any. */
  template?: ApiDefinition;
  notFound: NotFoundResponse;
}

/** The ApiDefinition to store for an Ingress (metadata the controller owns, and the spec). */
export function ingressApiDefinition({ ingress, routes, template, notFound }: GeneratedApiInput): ApiDefinition {
  const { name, namespace, uid } = ingress.metadata;
  const from = template?.spec;
  // What the Ingress decides is replaced; the rest of the template is kept as written.
  const { proxy: templateProxy, flows: templateFlows, id: _id, crossId: _crossId, ...kept } = from ?? ({} as Spec);
  const spec: Spec = {
    ...kept,
    name,
    version: from?.version ?? '1.0.0',
    description: from?.description ?? `Routes of Ingress ${namespace}/${name}`,
    // An API must go somewhere: without a context the gateways read it from its ConfigMap.
    ...(from?.local !== undefined || from?.contextRef ? {} : { local: true }),
    plans: from?.plans && from.plans.length > 0 ? from.plans : DEFAULT_PLANS,
    flow_mode: 'DEFAULT',
    proxy: {
      preserve_host: true,
      strip_context_path: false,
      ...templateProxy,
      virtual_hosts: routes.routes.map((r) => ({ ...(r.host ? { host: r.host } : {}), path: r.path })),
      groups: [{ name: 'default', endpoints: routes.endpoints.map((e) => ({ name: e.name, target: e.target })) }],
    },
    flows: [
      ...routes.routes.map((r) => routeFlow(r, routes.routes)),
      notFoundFlow(routes.routes, notFound),
      ...(templateFlows ?? []),
    ],
  };
  return {
    apiVersion: API_VERSION,
    kind: 'ApiDefinition',
    metadata: {
      name,
      namespace,
      annotations: {
        [EXTENDS_ANNOTATION]: EXTENDS_INGRESS,
        ...(template ? { [GENERATED_FROM_TEMPLATE_ANNOTATION]: template.metadata.name } : {}),
      },
      ownerReferences: [
        {
          apiVersion: ingress.apiVersion ?? 'networking.k8s.io/v1',
          kind: 'Ingress',
          name,
          uid: uid ?? '',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec,
  };
}
