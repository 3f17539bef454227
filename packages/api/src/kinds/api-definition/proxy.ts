// The proxy part of a v2 API definition: entrypoints, backend endpoint groups and their services.
import { HTTP_METHODS } from '../../fragments/flows.ts';
import { headerMap, httpClientOptions, sslOptions } from '../../fragments/endpoints.ts';
import {
  array,
  boolean,
  enumeration,
  freeForm,
  integer,
  named,
  object,
  required,
  string,
  withDefault,
} from '../../schema/index.ts';

const nameValueHeaders = (description: string) =>
  withDefault(
    array(description, object('A header.', { name: string('Header name.'), value: string('Header value.') })),
    [],
  );

const proxyOptions = named(
  'V2ProxyOptions',
  object('HTTP proxy the gateway goes through to reach the backend.', {
    enabled: boolean('Whether a proxy is used.', { default: false }),
    useSystemProxy: boolean("Whether the gateway's system proxy is used.", { default: false }),
    host: string('Proxy host.'),
    port: integer('Proxy port.'),
    username: string('Proxy user name.'),
    password: string('Proxy password.'),
    type: string('Proxy type: HTTP, SOCKS4 or SOCKS5.'),
  }),
);

const healthCheckSteps = withDefault(
  array(
    'Requests sent to check the backend, with the assertions their responses must satisfy.',
    object('A health-check request.', {
      name: string('Name of the step.'),
      request: object('The request sent.', {
        path: string('Path called.'),
        method: enumeration(HTTP_METHODS, 'HTTP method.'),
        headers: nameValueHeaders('Request headers.'),
        body: string('Request body.'),
        fromRoot: required(boolean('Whether path is relative to the root of the endpoint instead of its target path.')),
      }),
      response: object('What the response must satisfy.', {
        assertions: array('Expression Language assertions on the response.', string('An assertion.')),
      }),
    }),
  ),
  [],
);

const healthCheck = (description: string, extra: Record<string, ReturnType<typeof boolean>> = {}) =>
  object(description, {
    enabled: boolean('Whether health checks run.', { default: false }),
    ...extra,
    name: string('Name of the service.'),
    schedule: string('Cron expression saying when checks run.'),
    steps: healthCheckSteps,
  });

export const dynamicPropertyService = object('Keeps API properties up to date from an external source.', {
  enabled: boolean('Whether the service runs.', { default: false }),
  name: string('Name of the service.'),
  provider: enumeration(['HTTP'], 'Where properties come from.'),
  schedule: string('Cron expression saying when properties are fetched.'),
  configuration: freeForm('Configuration of the provider.'),
});

export const discoveryService = object('Discovers endpoints from a registry.', {
  enabled: boolean('Whether discovery runs.', { default: false }),
  name: string('Name of the service.'),
  provider: string('Discovery provider, for example consul-service-discovery.'),
  configuration: freeForm('Configuration of the provider.'),
  secondary: boolean('Whether discovered endpoints are backups.'),
  tenants: array('Tenants of the discovered endpoints.', string('A tenant.'), { default: [] }),
});

export const apiHealthCheck = healthCheck('Health checks of every endpoint of the API.');

const endpoint = named(
  'V2Endpoint',
  object('A backend the gateway forwards requests to.', {
    name: string('Name of the endpoint.'),
    target: string('URL of the backend.'),
    type: string('Endpoint type, for example http or grpc.'),
    weight: integer('Share of traffic sent to this endpoint by weighted load balancing.'),
    backup: boolean('Whether the endpoint is only used when the others are down.'),
    tenants: array('Tenants the endpoint serves.', string('A tenant.'), { default: [] }),
    inherit: boolean("Whether the endpoint uses its group's HTTP, TLS and proxy settings."),
    headers: nameValueHeaders('Headers added to every request sent to this endpoint.'),
    http: httpClientOptions,
    ssl: sslOptions,
    proxy: proxyOptions,
    healthcheck: healthCheck('Health checks of this endpoint.', {
      inherit: boolean("Whether the API's health-check configuration is used.", { default: false }),
    }),
  }),
);

const endpointGroup = named(
  'V2EndpointGroup',
  object('Endpoints load-balanced together.', {
    name: string('Name of the group.'),
    endpoints: array('Endpoints of the group.', endpoint),
    load_balancing: object('How requests are spread over the endpoints.', {
      type: string('ROUND_ROBIN, RANDOM, WEIGHTED_ROUND_ROBIN or WEIGHTED_RANDOM.'),
    }),
    http: httpClientOptions,
    ssl: sslOptions,
    proxy: proxyOptions,
    headers: headerMap,
    services: object('Services run for the group.', {
      discovery: discoveryService,
      'health-check': healthCheck('Health checks of the endpoints of the group.'),
      'dynamic-property': dynamicPropertyService,
    }),
  }),
);

export const proxy = object('How the gateway exposes the API and reaches its backends.', {
  virtual_hosts: array(
    'Where clients call the API: host (optional) and context path.',
    object('An entrypoint.', {
      host: string('Host name clients use; any host when left out.'),
      path: string('Context path, for example /orders.'),
      override_entrypoint: boolean('Whether this virtual host is used to build the URL shown in the portal.'),
    }),
  ),
  strip_context_path: boolean('Whether the context path is removed before calling the backend.'),
  preserve_host: boolean("Whether the client's Host header is sent to the backend."),
  groups: array('Backend endpoint groups.', endpointGroup, { default: [] }),
  failover: object('Retries on another endpoint when a call fails.', {
    cases: array('Failures that trigger a retry, for example TIMEOUT.', string('A failure case.')),
    maxAttempts: integer('Maximum number of attempts.'),
    retryTimeout: integer('Timeout of each retry, in milliseconds.', { format: 'int64' }),
  }),
  cors: object('Cross-origin resource sharing.', {
    enabled: required(boolean('Whether CORS headers are handled.')),
    allowCredentials: required(boolean('Whether credentials are allowed.')),
    maxAge: required(integer('How long, in seconds, browsers may cache the preflight response (-1: not cached).')),
    allowOrigin: array('Allowed origins (regular expressions allowed).', string('An origin.'), { default: [] }),
    allowHeaders: array('Allowed request headers.', string('A header.'), { default: [] }),
    allowMethods: array('Allowed methods.', string('A method.'), { default: [] }),
    exposeHeaders: array('Response headers exposed to browsers.', string('A header.'), { default: [] }),
    runPolicies: boolean('Whether policies run for preflight requests.', { default: false }),
  }),
  logging: object('Request logging.', {
    mode: enumeration(['NONE', 'CLIENT', 'PROXY', 'CLIENT_PROXY'], 'Which side of the gateway is logged.'),
    content: enumeration(['NONE', 'HEADERS', 'PAYLOADS', 'HEADERS_PAYLOADS'], 'What is logged.'),
    scope: enumeration(['NONE', 'REQUEST', 'RESPONSE', 'REQUEST_RESPONSE'], 'Which messages are logged.'),
    condition: string('Expression Language condition: only matching requests are logged.'),
  }),
});
