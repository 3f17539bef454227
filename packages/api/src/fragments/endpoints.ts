// Connection settings of backend endpoints, shared by v2 and v4 APIs.
import {
  array,
  boolean,
  enumeration,
  freeForm,
  integer,
  map,
  named,
  object,
  required,
  string,
} from '../schema/index.ts';

export const httpClientOptions = named(
  'HttpClientOptions',
  object('How the gateway connects to the backend over HTTP.', {
    version: enumeration(['HTTP_1_1', 'HTTP_2'], 'HTTP version used to call the backend.', { default: 'HTTP_1_1' }),
    keepAlive: boolean('Whether connections are kept open between requests.', { default: true }),
    keepAliveTimeout: integer('How long an idle kept-alive connection stays open, in milliseconds.', {
      format: 'int64',
      default: 30000,
    }),
    followRedirects: required(boolean('Whether redirects answered by the backend are followed.', { default: false })),
    pipelining: required(boolean('Whether HTTP/1.1 pipelining is used.', { default: false })),
    useCompression: required(boolean('Whether responses may be compressed.', { default: false })),
    clearTextUpgrade: boolean('Whether HTTP/2 is negotiated over clear text with an upgrade.', { default: true }),
    propagateClientAcceptEncoding: boolean("Whether the client's Accept-Encoding header is passed to the backend.", {
      default: false,
    }),
    connectTimeout: integer('Connection timeout, in milliseconds.', { format: 'int64' }),
    idleTimeout: integer('How long a connection may stay idle before it is closed, in milliseconds.', {
      format: 'int64',
    }),
    readTimeout: integer('How long to wait for the response, in milliseconds.', { format: 'int64' }),
    maxConcurrentConnections: integer('Maximum number of connections to the backend.'),
    maxChunkSize: integer('Maximum size of an HTTP chunk, in bytes.'),
    maxHeaderSize: integer('Maximum size of the response headers, in bytes.'),
    maxConnectionLifetime: integer('Maximum lifetime of a connection, in milliseconds; 0 means unlimited.', {
      format: 'int64',
      minimum: 0,
    }),
    maxWaitQueueSize: integer('Maximum number of requests waiting for a connection; -1 means unlimited.', {
      minimum: -1,
    }),
  }),
);

const storeType = enumeration(['PEM', 'PKCS12', 'JKS'], 'Format of the store.');

export const sslOptions = named(
  'SslOptions',
  object('TLS settings used to call the backend.', {
    hostnameVerifier: required(
      boolean("Whether the backend certificate must match the backend's host name.", { default: true }),
    ),
    trustAll: required(boolean('Whether any backend certificate is trusted. Only for tests.', { default: false })),
    headers: array(
      'Headers added to requests sent over TLS.',
      object('A header.', { name: string('Header name.'), value: string('Header value.') }),
    ),
    keyStore: object('Client certificate presented to the backend (mutual TLS).', {
      type: storeType,
      path: string('Path of the key store on the gateway.'),
      content: string('Content of the key store (base64 for binary formats).'),
      password: string('Password of the key store.'),
      certPath: string('PEM stores: path of the certificate on the gateway.'),
      certContent: string('PEM stores: the certificate.'),
      keyPath: string('PEM stores: path of the private key on the gateway.'),
      keyContent: string('PEM stores: the private key.'),
    }),
    trustStore: object('Certificates trusted when calling the backend.', {
      type: storeType,
      path: string('Path of the trust store on the gateway.'),
      content: string('Content of the trust store (base64 for binary formats).'),
      password: string('Password of the trust store.'),
    }),
  }),
);

export const headerMap = map('Headers added to every request sent to the backend.', string('Header value.'));

/** v4: a service of an endpoint group or endpoint (health check, discovery). */
export const v4EndpointService = named(
  'V4EndpointService',
  object('A service run by the gateway for the endpoints.', {
    enabled: required(boolean('Whether the service runs.')),
    overrideConfiguration: required(boolean("Whether this configuration replaces the endpoint group's.")),
    type: string('Service plugin, for example http-health-check or consul-service-discovery.'),
    configuration: freeForm('Configuration of the service plugin.'),
  }),
);
