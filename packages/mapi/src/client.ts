// The one place that speaks to Gravitee APIM: the Automation API for v4 APIs, applications,
// subscriptions, shared policy groups, groups, dictionaries and the portal kinds; mAPI v1 for v2
// APIs; mAPI v2 for the environment lookup. Calls are typed by the types generated from openapi/*.yaml.
import createClient, { type Client } from 'openapi-fetch';
import { redactText } from '@gko/runtime';
import type * as automation from './generated/automation.ts';
import type * as v1 from './generated/management-v1.ts';
import type * as v2 from './generated/management-v2.ts';
import { ApimError, apimErrorFields, httpErrorMessage } from './http/errors.ts';
import { createTransport, type TransportOptions } from './http/transport.ts';
import type { ConnectPhaseName } from './kinds/api-v4-definition/to-request.ts';
import type { ApimTarget } from './target.ts';
import { apimRoots } from './urls.ts';

export type ClientOptions = Omit<TransportOptions, 'credentials'>;

export interface UpsertOptions {
  dryRun?: boolean;
  /** The hrid is the UUID of an object created before human-readable ids existed. */
  hridContainsUUID?: boolean;
}

export interface IdOptions {
  hridContainsUUID?: boolean;
}

export interface SubscriptionIdOptions {
  hridContainsUUID?: boolean;
  hridContainsApiUUID?: boolean;
  hridContainsAppUUID?: boolean;
}

export interface AutomationResource<Spec, State, Put = UpsertOptions, Id = IdOptions> {
  /** Create or update; with dryRun, only validate. */
  put(spec: Spec, options?: Put): Promise<State>;
  /** The stored object, or undefined when there is none. */
  get(hrid: string, options?: Id): Promise<State | undefined>;
  /** Deletes the object; deleting one that does not exist succeeds. */
  delete(hrid: string, options?: Id): Promise<void>;
}

export interface ApimClient {
  /** Where the client points, without its credentials. */
  readonly target: Omit<ApimTarget, 'credentials'>;
  readonly apis: AutomationResource<automation.ApiV4Spec, automation.ApiV4State>;
  readonly applications: AutomationResource<automation.ApplicationSpec, automation.ApplicationState>;
  readonly sharedPolicyGroups: AutomationResource<automation.SharedPolicyGroupSpec, automation.SharedPolicyGroupState>;
  readonly groups: AutomationResource<automation.GroupSpec, automation.GroupState>;
  readonly dictionaries: AutomationResource<automation.DictionarySpec, automation.DictionaryState>;
  readonly portals: AutomationResource<automation.PortalSpec, automation.PortalState>;
  /** The links of one portal. */
  portalLinks(portalHrid: string): AutomationResource<automation.PortalLinkSpec, automation.PortalLinkState>;
  /** The listings of APIs of one portal. */
  portalListings(portalHrid: string): AutomationResource<automation.PortalListingSpec, automation.PortalListingState>;
  /** The pages of one portal. */
  portalDocumentations(
    portalHrid: string,
  ): AutomationResource<automation.DocumentationSpec, automation.DocumentationState>;
  /** The pages of one API (next-generation portal). */
  apiDocumentations(apiHrid: string): AutomationResource<automation.DocumentationSpec, automation.DocumentationState>;
  /** The subscriptions of one API (subscriptions have no dry run). */
  subscriptions(
    apiHrid: string,
  ): AutomationResource<
    automation.SubscriptionSpec,
    automation.SubscriptionState,
    SubscriptionIdOptions,
    SubscriptionIdOptions
  >;
  readonly v2Apis: {
    import(definition: v1.ApiV2Definition, options?: { dryRun?: boolean }): Promise<v1.ApiV2ImportStatus>;
    /** The API as APIM holds it now (console edits included), or undefined when there is none. */
    get(id: string): Promise<v1.ApiV2Entity | undefined>;
    delete(id: string): Promise<void>;
  };
  /** The environment of the target: proves that URL, organization, environment and credentials are right. */
  environment(): Promise<v2.Environment>;
  /**
   * What APIM calls the connect phase of native flows. No APIM answer carries its version, so it is
   * read from the Automation API's own OpenAPI document (served at its root since 4.10): 4.10 names
   * the phase `connect`, later versions `entrypointConnect` (also taken when the document is not
   * served). Fails while APIM does not answer. Asked once per client.
   */
  connectPhase(): Promise<ConnectPhaseName>;
  close(): Promise<void>;
}

type Query = Record<string, boolean>;
type Result = { data?: unknown; error?: unknown; response: Response };
// openapi-fetch types each path literally; the resources below share one implementation.
type LooseClient = Record<'GET' | 'PUT' | 'DELETE', (path: string, init: Record<string, unknown>) => Promise<Result>>;

/** Only true flags are sent: false is every flag's default. */
function flags(options: object | undefined): Query | undefined {
  const set = Object.entries(options ?? {}).filter(([, v]) => v === true);
  return set.length > 0 ? Object.fromEntries(set) : undefined;
}

export function createApimClient(target: ApimTarget, options: ClientOptions = {}): ApimClient {
  const transport = createTransport({ ...options, credentials: target.credentials });
  const roots = apimRoots(target);
  const clientOptions = { fetch: (request: Request) => transport.fetch(request) };
  const automationClient = createClient<automation.paths>({ ...clientOptions, baseUrl: roots.automation });
  const v1Client = createClient<v1.paths>({ ...clientOptions, baseUrl: roots.management });
  const v2Client = createClient<v2.paths>({ ...clientOptions, baseUrl: roots.managementV2 });
  const scope = { orgId: target.organizationId, envId: target.environmentId };

  const fail = (method: string, result: Result): never => {
    const details = {
      kind: 'http' as const,
      method,
      url: redactText(result.response.url, transport.secrets),
      status: result.response.status,
      ...apimErrorFields(result.error),
    };
    if (details.apimMessage) details.apimMessage = redactText(details.apimMessage, transport.secrets);
    throw new ApimError(details, httpErrorMessage(details));
  };
  const ok = <T>(method: string, result: Result): T => (result.response.ok ? (result.data as T) : fail(method, result));

  const call = (client: Client<never>, method: 'GET' | 'PUT' | 'DELETE', path: string, init: Record<string, unknown>) =>
    (client as unknown as LooseClient)[method](path, init);

  function resource<Spec, State, Put extends object, Id extends object>(
    collection: string,
    pathParams: Record<string, string> = {},
  ): AutomationResource<Spec, State, Put, Id> {
    const client = automationClient as unknown as Client<never>;
    const params = (extra: Record<string, string>, query?: Query) => ({
      path: { ...scope, ...pathParams, ...extra },
      ...(query ? { query } : {}),
    });
    return {
      async put(spec, putOptions) {
        return ok<State>(
          'PUT',
          await call(client, 'PUT', collection, { params: params({}, flags(putOptions)), body: spec }),
        );
      },
      async get(hrid, idOptions) {
        const result = await call(client, 'GET', `${collection}/{hrid}`, {
          params: params({ hrid }, flags(idOptions)),
        });
        return result.response.status === 404 ? undefined : ok<State>('GET', result);
      },
      async delete(hrid, idOptions) {
        const result = await call(client, 'DELETE', `${collection}/{hrid}`, {
          params: params({ hrid }, flags(idOptions)),
        });
        if (result.response.status !== 404) ok('DELETE', result);
      },
    };
  }

  let connectPhase: ConnectPhaseName | undefined;
  /**
   * A document that cannot be had because APIM is not answering (no connection, timeouts, 5xx) fails
   * the call, to be retried as any other: guessing would send a phase that this APIM drops. One APIM
   * does not serve (4xx) is taken for the newer name.
   */
  async function readConnectPhase(): Promise<ConnectPhaseName> {
    const response = await transport.fetch(new Request(`${roots.automation}/open-api.yaml`));
    if (!response.ok) {
      await response.body?.cancel();
      if (response.status >= 500) fail('GET', { response, error: undefined });
      connectPhase = 'entrypointConnect';
      return connectPhase;
    }
    const document = await response.text();
    connectPhase =
      /^\s+entrypointConnect:/m.test(document) || !/^\s+connect:/m.test(document) ? 'entrypointConnect' : 'connect';
    return connectPhase;
  }

  const base = '/organizations/{orgId}/environments/{envId}';
  const { credentials: _credentials, ...publicTarget } = target;
  return {
    target: publicTarget,
    apis: resource(`${base}/apis`),
    applications: resource(`${base}/applications`),
    sharedPolicyGroups: resource(`${base}/shared-policy-groups`),
    groups: resource(`${base}/groups`),
    dictionaries: resource(`${base}/dictionaries`),
    portals: resource(`${base}/portals`),
    portalLinks: (portalHrid) => resource(`${base}/portals/{portalHrid}/links`, { portalHrid }),
    portalListings: (portalHrid) => resource(`${base}/portals/{portalHrid}/listings`, { portalHrid }),
    portalDocumentations: (portalHrid) => resource(`${base}/portals/{portalHrid}/documentations`, { portalHrid }),
    apiDocumentations: (apiHrid) => resource(`${base}/apis/{apiHrid}/documentations`, { apiHrid }),
    subscriptions: (apiHrid) => resource(`${base}/apis/{apiHrid}/subscriptions`, { apiHrid }),
    v2Apis: {
      async import(definition, importOptions) {
        const result = await v1Client.PUT('/organizations/{orgId}/environments/{envId}/apis/import-crd', {
          params: { path: scope, ...(importOptions?.dryRun ? { query: { dryRun: true } } : {}) },
          body: definition,
        });
        return ok<v1.ApiV2ImportStatus>('PUT', result);
      },
      async get(id) {
        const result = await v1Client.GET('/organizations/{orgId}/environments/{envId}/apis/{apiId}', {
          params: { path: { ...scope, apiId: id } },
        });
        return result.response.status === 404 ? undefined : ok<v1.ApiV2Entity>('GET', result);
      },
      async delete(id) {
        const result = await v1Client.DELETE('/organizations/{orgId}/environments/{envId}/apis/{apiId}', {
          params: { path: { ...scope, apiId: id }, query: { closePlans: true } },
        });
        if (result.response.status !== 404) ok('DELETE', result as Result);
      },
    },
    async environment() {
      const result = await v2Client.GET('/organizations/{orgId}/environments/{envId}', { params: { path: scope } });
      return ok<v2.Environment>('GET', result);
    },
    connectPhase: async () => connectPhase ?? (await readConnectPhase()),
    close: () => transport.close(),
  };
}
