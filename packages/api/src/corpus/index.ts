// Objects with a known verdict, run through both our validator (unit tests) and kube-apiserver with
// our CRDs (end-to-end tests): the two must agree on every one, and on the field each error names.
import { API_VERSION } from '../group.ts';

export { EXAMPLES_DIR, examples, type ExampleFile } from './examples.ts';
export {
  UPSTREAM_INVALID_EXAMPLES,
  upstreamCrds,
  upstreamExamples,
  upstreamReferenceDir,
  type UpstreamExample,
} from './upstream.ts';

export interface CorpusCase {
  /** Also the object's name, so it must be unique and a valid Kubernetes name (unless testing names). */
  name: string;
  object: Record<string, unknown>;
  /** Applied first, for cases about updates; must itself be valid. */
  previous?: Record<string, unknown>;
  /** Path of the field the error names; absent when the object is valid. */
  invalidAt?: string;
}

type Spec = Record<string, unknown>;
// JSON round trip: fields set to undefined in the cases below are left out, as in a manifest.
const make = (kind: string, name: string, spec: Spec): Record<string, unknown> =>
  JSON.parse(JSON.stringify({ apiVersion: API_VERSION, kind, metadata: { name }, spec })) as Record<string, unknown>;
const merge = (base: Spec, patch: Spec): Spec => ({ ...base, ...patch });

const context = { contextRef: { name: 'apim' } };

const managementContext: Spec = {
  baseUrl: 'http://apim.example.com:8083',
  organizationId: 'DEFAULT',
  environmentId: 'DEFAULT',
  auth: { credentials: { username: 'admin', password: 'admin' } },
};

const v4Api: Spec = {
  ...context,
  name: 'orders',
  version: '1.0',
  type: 'PROXY',
  listeners: [{ type: 'HTTP', paths: [{ path: '/orders' }], entrypoints: [{ type: 'http-proxy' }] }],
  endpointGroups: [
    {
      name: 'default',
      type: 'http-proxy',
      endpoints: [
        {
          name: 'default',
          type: 'http-proxy',
          inheritConfiguration: false,
          configuration: { target: 'https://orders.internal' },
        },
      ],
    },
  ],
  plans: { 'key-less': { name: 'Free', security: { type: 'KEY_LESS' } } },
};

const kafkaPlan = (ports: Spec) => ({ kafka: { name: 'Kafka', security: { type: 'KEY_LESS' }, ...ports } });

const v2Api: Spec = {
  name: 'legacy',
  version: '1.0',
  description: 'A v2 API',
  local: true,
  proxy: {
    virtual_hosts: [{ path: '/legacy' }],
    groups: [{ name: 'default', endpoints: [{ name: 'one', target: 'https://legacy.internal' }] }],
  },
  plans: [{ name: 'Free', description: 'Free plan', security: 'KEY_LESS' }],
};

const simpleApp: Spec = {
  ...context,
  name: 'shop',
  description: 'The shop front',
  settings: { app: { type: 'web', clientId: 'shop' } },
};
const oauthApp: Spec = {
  ...context,
  name: 'mobile',
  description: 'The mobile app',
  settings: { oauth: { applicationType: 'NATIVE', grantTypes: ['authorization_code'] } },
};
const certificate = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

const subscription: Spec = { api: { name: 'orders' }, application: { name: 'shop' }, plan: 'key-less' };
const key = (n: number) => `k${String(n).padStart(31, '0')}`;

const spg: Spec = {
  ...context,
  name: 'headers',
  apiType: 'PROXY',
  phase: 'REQUEST',
  steps: [
    {
      name: 'add header',
      policy: 'transform-headers',
      configuration: { addHeaders: [{ name: 'x-team', value: 'a' }] },
    },
  ],
};

const dictionary: Spec = {
  ...context,
  name: 'countries',
  type: 'MANUAL',
  deployed: true,
  manual: { properties: { fr: 'France' } },
};
const dynamicPart = {
  provider: { type: 'HTTP', url: 'https://countries.internal', method: 'GET', specification: '[]' },
  trigger: { rate: 5, unit: 'MINUTES' },
};

const portal: Spec = {
  ...context,
  name: 'Developer portal',
  structure: { topNavbar: [{ path: '/apis', displayName: 'APIs' }, { path: '/guides' }] },
};
const link: Spec = {
  portalRef: { name: 'portal' },
  name: 'Status',
  href: 'https://status.example.com',
  location: '/guides',
};
const listing: Spec = {
  portalRef: { name: 'portal' },
  apis: [{ ref: { name: 'orders' }, location: '/apis', order: 1 }],
};
const page: Spec = {
  portalRef: { name: 'portal' },
  name: 'Getting started',
  type: 'GRAVITEE_MARKDOWN',
  content: '# Getting started',
  location: '/guides',
};

export const CORPUS: CorpusCase[] = [
  // ManagementContext
  {
    name: 'context-with-credentials',
    object: make('ManagementContext', 'context-with-credentials', managementContext),
  },
  {
    name: 'context-cloud-token',
    object: make('ManagementContext', 'context-cloud-token', { cloud: { token: 'a.b.c' } }),
  },
  {
    name: 'context-without-base-url',
    object: make('ManagementContext', 'context-without-base-url', { ...managementContext, baseUrl: undefined }),
    invalidAt: 'spec.baseUrl',
  },
  {
    name: 'context-cloud-token-and-secret',
    object: make('ManagementContext', 'context-cloud-token-and-secret', {
      cloud: { token: 'a.b.c', secretRef: { name: 'cloud' } },
    }),
    invalidAt: 'spec.cloud',
  },
  {
    name: 'context-empty-auth',
    object: make('ManagementContext', 'context-empty-auth', merge(managementContext, { auth: {} })),
    invalidAt: 'spec.auth',
  },
  {
    name: 'context-credentials-without-password',
    object: make(
      'ManagementContext',
      'context-credentials-without-password',
      merge(managementContext, { auth: { credentials: { username: 'admin' } } }),
    ),
    invalidAt: 'spec.auth.credentials.password',
  },
  {
    name: 'context-unknown-field',
    object: make('ManagementContext', 'context-unknown-field', merge(managementContext, { url: 'x' })),
    invalidAt: 'spec.url',
  },
  {
    name: 'Context_Bad_Name',
    object: make('ManagementContext', 'Context_Bad_Name', managementContext),
    invalidAt: 'metadata.name',
  },

  // ApiV4Definition
  { name: 'v4-minimal', object: make('ApiV4Definition', 'v4-minimal', v4Api) },
  {
    name: 'v4-keeps-unknown-listener-fields',
    object: make(
      'ApiV4Definition',
      'v4-keeps-unknown-listener-fields',
      merge(v4Api, {
        listeners: [
          {
            type: 'HTTP',
            paths: [{ path: '/o' }],
            entrypoints: [{ type: 'http-proxy' }],
            cors: { enabled: true, allowOrigin: ['*'] },
          },
        ],
      }),
    ),
  },
  {
    name: 'v4-unsupported-state',
    object: make('ApiV4Definition', 'v4-unsupported-state', merge(v4Api, { state: 'RUNNING' })),
    invalidAt: 'spec.state',
  },
  {
    name: 'v4-missing-listeners',
    object: make('ApiV4Definition', 'v4-missing-listeners', merge(v4Api, { listeners: undefined })),
    invalidAt: 'spec.listeners',
  },
  {
    name: 'v4-empty-listeners',
    object: make('ApiV4Definition', 'v4-empty-listeners', merge(v4Api, { listeners: [] })),
    invalidAt: 'spec.listeners',
  },
  {
    name: 'v4-listener-path-missing',
    object: make(
      'ApiV4Definition',
      'v4-listener-path-missing',
      merge(v4Api, { listeners: [{ type: 'HTTP', paths: [{ host: 'orders.example.com' }] }] }),
    ),
    invalidAt: 'spec.listeners[0].paths[0].path',
  },
  {
    name: 'v4-plan-order-not-integer',
    object: make(
      'ApiV4Definition',
      'v4-plan-order-not-integer',
      merge(v4Api, { plans: { 'key-less': { name: 'Free', order: 'first' } } }),
    ),
    invalidAt: 'spec.plans.key-less.order',
  },
  {
    name: 'v4-type-changed',
    previous: make('ApiV4Definition', 'v4-type-changed', v4Api),
    object: make('ApiV4Definition', 'v4-type-changed', merge(v4Api, { type: 'MESSAGE' })),
    invalidAt: 'spec.type',
  },
  {
    name: 'v4-type-kept',
    previous: make('ApiV4Definition', 'v4-type-kept', v4Api),
    object: make('ApiV4Definition', 'v4-type-kept', merge(v4Api, { version: '2.0' })),
  },
  {
    name: 'v4-kafka-ports',
    object: make(
      'ApiV4Definition',
      'v4-kafka-ports',
      merge(v4Api, { plans: kafkaPlan({ bootstrapPort: 9092, brokerRangeStart: 9100, brokerRangeEnd: 9110 }) }),
    ),
  },
  {
    name: 'v4-kafka-bootstrap-without-range',
    object: make(
      'ApiV4Definition',
      'v4-kafka-bootstrap-without-range',
      merge(v4Api, { plans: kafkaPlan({ bootstrapPort: 9092 }) }),
    ),
    invalidAt: 'spec.plans[kafka].bootstrapPort',
  },
  {
    name: 'v4-kafka-range-reversed',
    object: make(
      'ApiV4Definition',
      'v4-kafka-range-reversed',
      merge(v4Api, { plans: kafkaPlan({ bootstrapPort: 9092, brokerRangeStart: 9110, brokerRangeEnd: 9100 }) }),
    ),
    invalidAt: 'spec.plans[kafka].brokerRangeStart',
  },
  {
    name: 'v4-kafka-bootstrap-in-range',
    object: make(
      'ApiV4Definition',
      'v4-kafka-bootstrap-in-range',
      merge(v4Api, { plans: kafkaPlan({ bootstrapPort: 9105, brokerRangeStart: 9100, brokerRangeEnd: 9110 }) }),
    ),
    invalidAt: 'spec.plans[kafka].bootstrapPort',
  },
  {
    name: 'v4-resource-ref-and-inline',
    object: make(
      'ApiV4Definition',
      'v4-resource-ref-and-inline',
      merge(v4Api, { resources: [{ ref: { name: 'cache' }, type: 'cache' }] }),
    ),
    invalidAt: 'spec.resources[0]',
  },
  {
    name: 'v4-wait-queue-below-minimum',
    object: make(
      'ApiV4Definition',
      'v4-wait-queue-below-minimum',
      merge(v4Api, {
        endpointGroups: [{ name: 'default', http: { maxWaitQueueSize: -2 } }],
      }),
    ),
    invalidAt: 'spec.endpointGroups[0].http.maxWaitQueueSize',
  },
  {
    name: 'v4-navigation-path-relative',
    object: make(
      'ApiV4Definition',
      'v4-navigation-path-relative',
      merge(v4Api, { portalNavigation: [{ path: 'docs' }] }),
    ),
    invalidAt: 'spec.portalNavigation[0].path',
  },

  // ApiDefinition
  { name: 'v2-local', object: make('ApiDefinition', 'v2-local', v2Api) },
  {
    name: 'v2-not-local-without-context',
    object: make('ApiDefinition', 'v2-not-local-without-context', merge(v2Api, { local: false })),
    invalidAt: 'spec.local',
  },
  {
    name: 'v2-with-context-not-local',
    object: make('ApiDefinition', 'v2-with-context-not-local', merge(v2Api, { ...context, local: false })),
  },
  {
    name: 'v2-missing-description',
    object: make('ApiDefinition', 'v2-missing-description', merge(v2Api, { description: undefined })),
    invalidAt: 'spec.description',
  },
  {
    name: 'v2-unsupported-method',
    object: make('ApiDefinition', 'v2-unsupported-method', merge(v2Api, { flows: [{ methods: ['FETCH'] }] })),
    invalidAt: 'spec.flows[0].methods[0]',
  },

  // Application
  { name: 'app-simple', object: make('Application', 'app-simple', simpleApp) },
  { name: 'app-oauth', object: make('Application', 'app-oauth', oauthApp) },
  {
    name: 'app-simple-and-oauth',
    object: make(
      'Application',
      'app-simple-and-oauth',
      merge(simpleApp, { settings: { app: { type: 'web' }, oauth: { applicationType: 'WEB', grantTypes: [] } } }),
    ),
    invalidAt: 'spec.settings',
  },
  {
    name: 'app-certificate-content-and-ref',
    object: make(
      'Application',
      'app-certificate-content-and-ref',
      merge(simpleApp, {
        settings: {
          app: { type: 'web' },
          tls: { clientCertificates: [{ content: certificate, ref: { name: 'certs' } }] },
        },
      }),
    ),
    invalidAt: 'spec.settings.tls.clientCertificates[0]',
  },
  {
    name: 'app-both-certificate-fields',
    object: make(
      'Application',
      'app-both-certificate-fields',
      merge(simpleApp, {
        settings: {
          app: { type: 'web' },
          tls: { clientCertificate: certificate, clientCertificates: [{ content: certificate }] },
        },
      }),
    ),
    invalidAt: 'spec.settings.tls',
  },
  {
    name: 'app-switches-to-oauth',
    previous: make('Application', 'app-switches-to-oauth', simpleApp),
    object: make('Application', 'app-switches-to-oauth', merge(simpleApp, { settings: oauthApp['settings'] })),
    invalidAt: 'spec.settings',
  },
  {
    name: 'app-oauth-type-changed',
    previous: make('Application', 'app-oauth-type-changed', oauthApp),
    object: make(
      'Application',
      'app-oauth-type-changed',
      merge(oauthApp, { settings: { oauth: { applicationType: 'WEB', grantTypes: ['authorization_code'] } } }),
    ),
    invalidAt: 'spec.settings.oauth.applicationType',
  },
  {
    name: 'app-unsupported-grant',
    object: make(
      'Application',
      'app-unsupported-grant',
      merge(oauthApp, { settings: { oauth: { applicationType: 'WEB', grantTypes: ['magic'] } } }),
    ),
    invalidAt: 'spec.settings.oauth.grantTypes[0]',
  },

  // Subscription
  {
    name: 'subscription-valid',
    object: make('Subscription', 'subscription-valid', merge(subscription, { endingAt: '2031-01-01T00:00:00Z' })),
  },
  {
    name: 'subscription-missing-plan',
    object: make('Subscription', 'subscription-missing-plan', merge(subscription, { plan: undefined })),
    invalidAt: 'spec.plan',
  },
  {
    name: 'subscription-plan-changed',
    previous: make('Subscription', 'subscription-plan-changed', subscription),
    object: make('Subscription', 'subscription-plan-changed', merge(subscription, { plan: 'gold' })),
    invalidAt: 'spec.plan',
  },
  {
    name: 'subscription-api-changed',
    previous: make('Subscription', 'subscription-api-changed', subscription),
    object: make('Subscription', 'subscription-api-changed', merge(subscription, { api: { name: 'payments' } })),
    invalidAt: 'spec.api',
  },
  {
    name: 'subscription-application-changed',
    previous: make('Subscription', 'subscription-application-changed', subscription),
    object: make(
      'Subscription',
      'subscription-application-changed',
      merge(subscription, { application: { name: 'mobile' } }),
    ),
    invalidAt: 'spec.application',
  },
  {
    name: 'subscription-end-date-changed',
    previous: make('Subscription', 'subscription-end-date-changed', subscription),
    object: make(
      'Subscription',
      'subscription-end-date-changed',
      merge(subscription, { endingAt: '2032-06-30T12:00:00+02:00' }),
    ),
  },
  {
    name: 'subscription-short-key',
    object: make('Subscription', 'subscription-short-key', merge(subscription, { apiKeys: [{ key: 'too-short' }] })),
    invalidAt: 'spec.apiKeys[0].key',
  },
  {
    name: 'subscription-duplicate-key',
    object: make(
      'Subscription',
      'subscription-duplicate-key',
      merge(subscription, { apiKeys: [{ key: key(1) }, { key: key(1) }] }),
    ),
    invalidAt: 'spec.apiKeys[1]',
  },
  {
    name: 'subscription-end-not-a-date',
    object: make('Subscription', 'subscription-end-not-a-date', merge(subscription, { endingAt: 'tomorrow' })),
    invalidAt: 'spec.endingAt',
  },
  {
    name: 'subscription-unsupported-api-kind',
    object: make(
      'Subscription',
      'subscription-unsupported-api-kind',
      merge(subscription, { api: { name: 'orders', kind: 'Api' } }),
    ),
    invalidAt: 'spec.api.kind',
  },

  // SharedPolicyGroup
  { name: 'spg-valid', object: make('SharedPolicyGroup', 'spg-valid', spg) },
  {
    name: 'spg-phase-changed',
    previous: make('SharedPolicyGroup', 'spg-phase-changed', spg),
    object: make('SharedPolicyGroup', 'spg-phase-changed', merge(spg, { phase: 'RESPONSE' })),
    invalidAt: 'spec.phase',
  },
  {
    name: 'spg-api-type-changed',
    previous: make('SharedPolicyGroup', 'spg-api-type-changed', spg),
    object: make('SharedPolicyGroup', 'spg-api-type-changed', merge(spg, { apiType: 'MESSAGE' })),
    invalidAt: 'spec.apiType',
  },
  {
    name: 'spg-cross-id-changed',
    previous: make('SharedPolicyGroup', 'spg-cross-id-changed', merge(spg, { crossId: 'one' })),
    object: make('SharedPolicyGroup', 'spg-cross-id-changed', merge(spg, { crossId: 'two' })),
    invalidAt: 'spec.crossId',
  },
  {
    name: 'spg-proxy-subscribe',
    object: make('SharedPolicyGroup', 'spg-proxy-subscribe', merge(spg, { phase: 'SUBSCRIBE' })),
    invalidAt: 'spec.phase',
  },

  // Group, Notification, Dictionary, ApiResource
  {
    name: 'group-valid',
    object: make('Group', 'group-valid', {
      ...context,
      name: 'developers',
      members: [{ source: 'memory', sourceId: 'alice', roles: { API: 'OWNER' } }],
    }),
  },
  {
    name: 'group-missing-members',
    object: make('Group', 'group-missing-members', { ...context, name: 'developers' }),
    invalidAt: 'spec.members',
  },
  { name: 'notification-defaults', object: make('Notification', 'notification-defaults', {}) },
  {
    name: 'notification-unsupported-event',
    object: make('Notification', 'notification-unsupported-event', {
      console: { apiEvents: ['API_STARTED', 'API_EXPLODED'] },
    }),
    invalidAt: 'spec.console.apiEvents[1]',
  },
  { name: 'dictionary-manual', object: make('Dictionary', 'dictionary-manual', dictionary) },
  {
    name: 'dictionary-dynamic',
    object: make(
      'Dictionary',
      'dictionary-dynamic',
      merge(dictionary, { type: 'DYNAMIC', manual: undefined, dynamic: dynamicPart }),
    ),
  },
  {
    name: 'dictionary-manual-with-dynamic',
    object: make('Dictionary', 'dictionary-manual-with-dynamic', merge(dictionary, { dynamic: dynamicPart })),
    invalidAt: 'spec.manual',
  },
  {
    name: 'dictionary-dynamic-without-provider',
    object: make(
      'Dictionary',
      'dictionary-dynamic-without-provider',
      merge(dictionary, { type: 'DYNAMIC', manual: undefined }),
    ),
    invalidAt: 'spec.dynamic',
  },
  {
    name: 'dictionary-unsupported-unit',
    object: make(
      'Dictionary',
      'dictionary-unsupported-unit',
      merge(dictionary, {
        type: 'DYNAMIC',
        manual: undefined,
        dynamic: { ...dynamicPart, trigger: { rate: 1, unit: 'WEEKS' } },
      }),
    ),
    invalidAt: 'spec.dynamic.trigger.unit',
  },
  {
    name: 'resource-valid',
    object: make('ApiResource', 'resource-valid', {
      name: 'cache',
      type: 'cache',
      configuration: { timeToLiveSeconds: 60 },
    }),
  },
  {
    name: 'resource-missing-type',
    object: make('ApiResource', 'resource-missing-type', { name: 'cache', configuration: {} }),
    invalidAt: 'spec.type',
  },
  // The portal kinds
  { name: 'portal-valid', object: make('Portal', 'portal-valid', portal) },
  {
    name: 'portal-navigation-valid',
    object: make(
      'Portal',
      'portal-navigation-valid',
      merge(portal, { structure: undefined, navigation: [{ path: '/', order: 1 }] }),
    ),
  },
  {
    name: 'portal-navigation-and-structure',
    object: make('Portal', 'portal-navigation-and-structure', merge(portal, { navigation: [{ path: '/apis' }] })),
    invalidAt: 'spec.navigation',
  },
  {
    name: 'portal-trailing-slash',
    object: make('Portal', 'portal-trailing-slash', merge(portal, { structure: { topNavbar: [{ path: '/apis/' }] } })),
    invalidAt: 'spec.structure.topNavbar[0].path',
  },
  {
    name: 'portal-dot-dot',
    object: make('Portal', 'portal-dot-dot', merge(portal, { structure: { topNavbar: [{ path: '/a/../b' }] } })),
    invalidAt: 'spec.structure.topNavbar[0].path',
  },
  {
    name: 'portal-without-context',
    object: make('Portal', 'portal-without-context', merge(portal, { contextRef: undefined })),
    invalidAt: 'spec.contextRef',
  },
  { name: 'link-valid', object: make('PortalLink', 'link-valid', link) },
  {
    name: 'link-without-portal',
    object: make('PortalLink', 'link-without-portal', merge(link, { portalRef: undefined })),
    invalidAt: 'spec.portalRef',
  },
  {
    name: 'link-relative-href',
    object: make('PortalLink', 'link-relative-href', merge(link, { href: 'docs/index.html' })),
    invalidAt: 'spec.href',
  },
  {
    name: 'link-moved-to-another-portal',
    previous: make('PortalLink', 'link-moved-to-another-portal', link),
    object: make('PortalLink', 'link-moved-to-another-portal', merge(link, { portalRef: { name: 'other-portal' } })),
    invalidAt: 'spec.portalRef',
  },
  { name: 'listing-valid', object: make('PortalListing', 'listing-valid', listing) },
  {
    name: 'listing-no-api',
    object: make('PortalListing', 'listing-no-api', merge(listing, { apis: [] })),
    invalidAt: 'spec.apis',
  },
  {
    name: 'listing-v2-api',
    object: make(
      'PortalListing',
      'listing-v2-api',
      merge(listing, { apis: [{ ref: { name: 'legacy', kind: 'ApiDefinition' }, location: '/apis' }] }),
    ),
    invalidAt: 'spec.apis[0].ref.kind',
  },
  {
    name: 'listing-relative-location',
    object: make(
      'PortalListing',
      'listing-relative-location',
      merge(listing, { apis: [{ ref: { name: 'orders' }, location: 'apis' }] }),
    ),
    invalidAt: 'spec.apis[0].location',
  },
  { name: 'page-valid', object: make('Documentation', 'page-valid', page) },
  {
    name: 'page-homepage-valid',
    object: make('Documentation', 'page-homepage-valid', merge(page, { area: 'HOMEPAGE', location: undefined })),
  },
  {
    name: 'page-api-valid',
    object: make('Documentation', 'page-api-valid', merge(page, { portalRef: undefined, apiRef: { name: 'orders' } })),
  },
  {
    name: 'page-portal-and-api',
    object: make('Documentation', 'page-portal-and-api', merge(page, { apiRef: { name: 'orders' } })),
    invalidAt: 'spec.portalRef',
  },
  {
    name: 'page-without-parent',
    object: make('Documentation', 'page-without-parent', merge(page, { portalRef: undefined })),
    invalidAt: 'spec.portalRef',
  },
  {
    name: 'page-unknown-area',
    object: make('Documentation', 'page-unknown-area', merge(page, { area: 'SIDEBAR' })),
    invalidAt: 'spec.area',
  },
  {
    name: 'page-api-homepage',
    object: make(
      'Documentation',
      'page-api-homepage',
      merge(page, { portalRef: undefined, apiRef: { name: 'orders' }, area: 'HOMEPAGE' }),
    ),
    invalidAt: 'spec.area',
  },
  {
    name: 'page-unknown-type',
    object: make('Documentation', 'page-unknown-type', merge(page, { type: 'HTML' })),
    invalidAt: 'spec.type',
  },
  {
    name: 'page-moved-to-an-api',
    previous: make('Documentation', 'page-moved-to-an-api', page),
    object: make(
      'Documentation',
      'page-moved-to-an-api',
      merge(page, { portalRef: undefined, apiRef: { name: 'orders' } }),
    ),
    invalidAt: 'spec.portalRef',
  },
];
