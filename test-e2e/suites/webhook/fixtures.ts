// Manifests for the webhook suites: a small world (contexts, an API, applications, a shared policy
// group, a notification) and builders for variations of it.
export const GV = 'gravitee.io/v1alpha1';

export type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string } };

export const manifest = (kind: string, name: string, spec: Record<string, unknown>): Manifest => ({
  apiVersion: GV,
  kind,
  metadata: { name },
  spec,
});

export const context = (name: string, baseUrl: string, password = 'admin') =>
  manifest('ManagementContext', name, {
    baseUrl,
    organizationId: 'DEFAULT',
    environmentId: 'DEFAULT',
    auth: { credentials: { username: 'admin', password } },
  });

export function api(name: string, spec: Record<string, unknown> = {}): Manifest {
  return manifest('ApiV4Definition', name, {
    contextRef: { name: 'apim' },
    name,
    version: '1.0',
    type: 'PROXY',
    listeners: [{ type: 'HTTP', paths: [{ path: `/${name}` }], entrypoints: [{ type: 'http-proxy' }] }],
    endpointGroups: [
      {
        name: 'default',
        type: 'http-proxy',
        endpoints: [
          { name: 'one', type: 'http-proxy', inheritConfiguration: false, configuration: { target: 'http://backend' } },
        ],
      },
    ],
    plans: { keys: { name: 'Keys', security: { type: 'API_KEY' } } },
    ...spec,
  });
}

export const application = (
  name: string,
  contextName = 'apim',
  settings: Record<string, unknown> = { app: { type: 'web', clientId: name } },
) =>
  manifest('Application', name, {
    contextRef: { name: contextName },
    name,
    description: `${name} application`,
    settings,
  });

export const subscription = (name: string, spec: Record<string, unknown> = {}) =>
  manifest('Subscription', name, { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'keys', ...spec });

export function world(simulatorUrl: string): Manifest[] {
  return [
    context('apim', simulatorUrl),
    context('other', simulatorUrl),
    manifest('SharedPolicyGroup', 'response-headers', {
      contextRef: { name: 'apim' },
      name: 'Response headers',
      apiType: 'PROXY',
      phase: 'RESPONSE',
      steps: [{ policy: 'transform-headers' }],
    }),
    manifest('Notification', 'events', { console: { apiEvents: ['API_STARTED'] } }),
    api('orders', {
      plans: {
        keys: { name: 'Keys', security: { type: 'API_KEY' } },
        free: { name: 'Free', security: { type: 'KEY_LESS' } },
        jwt: { name: 'JWT', security: { type: 'JWT' } },
      },
    }),
    application('shop'),
    application('other-shop', 'other'),
    manifest('Portal', 'portal', { contextRef: { name: 'apim' }, name: 'Portal' }),
    api('partner-api', { contextRef: { name: 'other' } }),
  ];
}
