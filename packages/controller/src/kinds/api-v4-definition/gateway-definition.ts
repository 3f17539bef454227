// An ApiV4Definition in the form gateways deploy (definitionVersion 4.0.0), for local mode.
//
// The target is APIM's gravitee-definition model (gravitee-apim-definition-model, package
// io.gravitee.definition.model.v4: Api, AbstractApi, plan/, flow/, listener/, endpointgroup/),
// parsed by a mapper that ignores unknown fields and matches enum labels ignoring case
// (gravitee-apim-definition-jackson, GraviteeMapper). The conversion follows GKO's
// ToGatewayDefinition (api/model/api/v4/*.go) where that reaches the gateway, and departs from it
// where GKO's output is lost on the gateway; each departure says so.
import {
  type ApiProperty,
  type ApiResourceEntry,
  type ApiV4Definition,
  type FlowStep,
  type V4Endpoint,
  type V4EndpointGroup,
  type V4Entrypoint,
  type V4Flow,
  type V4Listener,
  type V4Plan,
} from '@gko/api';
import { apiResources, apiV4Ids, apiV4PlanId, compact, flowStep, localApiV4Id, type ApiReferences } from '@gko/mapi';
import type { LocalDeployment } from '../../local-mode/configmap.ts';

/** `definitionVersion` of v4 gateway definitions (gravitee-definition DefinitionVersion.V4's label). */
export const GATEWAY_DEFINITION_VERSION = '4.0.0' as const;

type Json = Record<string, unknown>;

export interface GatewayStep {
  name?: string;
  description?: string;
  enabled: boolean;
  policy?: string;
  configuration?: Json;
  condition?: string;
  messageCondition?: string;
}

export interface GatewayFlow {
  id?: string;
  name?: string;
  enabled: boolean;
  selectors?: Json[];
  request?: GatewayStep[];
  response?: GatewayStep[];
  subscribe?: GatewayStep[];
  publish?: GatewayStep[];
  entrypointConnect?: GatewayStep[];
  interact?: GatewayStep[];
  tags?: string[];
}

export interface GatewayPlan {
  id: string;
  name: string;
  security?: { type: string; configuration: Json };
  mode: string;
  status: string;
  selectionRule?: string;
  tags?: string[];
  flows: GatewayFlow[];
  bootstrapPort?: number;
  brokerRangeStart?: number;
  brokerRangeEnd?: number;
}

export interface GatewayApiV4 {
  id: string;
  hrid: string;
  crossId?: string;
  name: string;
  apiVersion: string;
  definitionVersion: typeof GATEWAY_DEFINITION_VERSION;
  type: string;
  definitionContext: { origin: string; syncFrom: string };
  tags?: string[];
  properties: Json[];
  resources: Json[];
  listeners: Json[];
  endpointGroups: Json[];
  analytics?: Json;
  failover?: Json;
  flowExecution?: Json;
  flows: GatewayFlow[];
  plans: GatewayPlan[];
  responseTemplates?: Json;
  services?: Json;
  allowedInApiProducts?: boolean;
}

/**
 * An enum value as gateways read it: lower case with '-' for '_' (KEY_LESS → key-less, BEST_MATCH →
 * best-match, LLM_PROXY → llm-proxy). GKO applies this to every enum it converts (v4/enum.go); the
 * labels are the @JsonValue of the gateway enums (ApiType, PlanMode, PlanStatus, FlowMode, Qos,
 * LoadBalancerType, ListenerType, SelectorType).
 */
export function gatewayEnum(value: string): string {
  return value.toLowerCase().replaceAll('_', '-');
}

/**
 * The id gateways know a v4 API by: the UUID APIM knows it by (spec.id, or the id upstream's operator
 * synchronised it under before HRIDs existed), else APIM's id once it has one, else, as upstream's
 * operator does without a context, a UUID of the API's HRID.
 */
export function apiV4GatewayId(api: ApiV4Definition): string {
  const ids = apiV4Ids(api);
  return ids.hridContainsUUID ? ids.hrid : (api.status?.id ?? localApiV4Id(api.metadata));
}

interface Context {
  namespace: string;
  refs: ApiReferences;
}

/** A step as the Automation API request has it (shared policy groups resolved the same way). */
function step(s: FlowStep, field: string, context: Context): GatewayStep {
  return flowStep(s, field, context.namespace, context.refs);
}

/** Selectors are free-form; only their type is an enum the gateway dispatches on (http, channel...). */
function selector(s: Json): Json {
  return typeof s['type'] === 'string' ? { ...s, type: gatewayEnum(s['type']) } : s;
}

function flow(f: V4Flow, field: string, context: Context): GatewayFlow {
  const phase = (name: 'request' | 'response' | 'subscribe' | 'publish' | 'connect' | 'interact') =>
    f[name]?.map((s, i) => step(s, `${field}.${name}[${i}]`, context));
  return compact({
    id: f.id,
    name: f.name,
    enabled: f.enabled ?? true,
    selectors: f.selectors?.map(selector),
    request: phase('request'),
    response: phase('response'),
    subscribe: phase('subscribe'),
    publish: phase('publish'),
    // Native flows call this phase entrypointConnect (NativeFlow). GKO writes `connect`, which
    // gateways ignore.
    entrypointConnect: phase('connect'),
    interact: phase('interact'),
    tags: f.tags,
  });
}

function flows(list: V4Flow[] | undefined, field: string, context: Context): GatewayFlow[] {
  return (list ?? []).map((f, i) => flow(f, `${field}[${i}]`, context));
}

/**
 * Gateways read plans as a list and index them by id (Api.setPlans), so every plan needs a unique id:
 * the spec's, else APIM's, else a UUID of the API id and the key, as upstream's operator derives it.
 * As in GKO (GatewayDefinitionPlan), its name is the CR map key, which subscriptions refer to.
 */
function plan(
  api: ApiV4Definition,
  key: string,
  p: V4Plan,
  deployment: LocalDeployment,
  context: Context,
): GatewayPlan {
  return compact({
    id: apiV4PlanId({ ...api, status: { plans: deployment.planIds ?? {} } }, deployment.id, key),
    name: key,
    // Push plans have no security. An empty configuration is what APIM stores for plans configured
    // with defaults only, and what security policies are built from.
    security: p.security
      ? { type: gatewayEnum(p.security.type), configuration: p.security.configuration ?? {} }
      : undefined,
    mode: gatewayEnum(p.mode ?? 'STANDARD'),
    // Gateways skip plans without a status (AbstractApiDeployer), so the default is spelled out.
    status: gatewayEnum(p.status ?? 'PUBLISHED'),
    selectionRule: p.selectionRule,
    tags: p.tags,
    flows: flows(p.flows, `spec.plans[${key}].flows`, context),
    // Native Kafka plans only (NativePlan).
    bootstrapPort: p.bootstrapPort,
    brokerRangeStart: p.brokerRangeStart,
    brokerRangeEnd: p.brokerRangeEnd,
  });
}

/**
 * Entrypoint qos is an enum; a dead letter queue without an endpoint is dropped (as GKO does). Other
 * fields are the entrypoint plugin's and pass through.
 */
function entrypoint(e: V4Entrypoint): Json {
  const { qos, dlq, ...rest } = e;
  return compact({
    ...rest,
    qos: typeof qos === 'string' ? gatewayEnum(qos) : undefined,
    dlq: dlq?.endpoint ? { endpoint: dlq.endpoint } : undefined,
  });
}

/**
 * Listener fields other than the type and the entrypoints pass through unchanged: GKO re-reads
 * listeners into its own structs and so loses fields the gateway knows (HttpListener's cors and
 * requestValidation, Path's overrideAccess).
 */
function listener(l: V4Listener): Json {
  return compact({ ...l, type: gatewayEnum(l.type), entrypoints: l.entrypoints?.map(entrypoint) });
}

function endpoint(e: V4Endpoint, group: string, index: number): Json {
  return compact({
    // Gateways name endpoints (dead letter queues and endpoint selection refer to them by name); the
    // Automation API request names unnamed ones the same way.
    name: e.name ?? `${group}-${index + 1}`,
    type: e.type,
    weight: e.weight,
    inheritConfiguration: e.inheritConfiguration,
    configuration: e.configuration,
    sharedConfigurationOverride: e.sharedConfigurationOverride,
    services: e.services,
    secondary: e.secondary,
    tenants: e.tenants,
  });
}

/**
 * Gateway endpoint groups have no http, ssl or headers fields: for HTTP endpoints those settings live
 * in the shared configuration, where they are moved (without overriding it), as in the Automation API
 * request. GKO copies them as they are, and gateways ignore them.
 */
function endpointGroup(g: V4EndpointGroup): Json {
  const shared: Json = { ...(g.sharedConfiguration ?? {}) };
  if (g.http && shared['http'] === undefined) shared['http'] = g.http;
  if (g.ssl && shared['ssl'] === undefined) shared['ssl'] = g.ssl;
  if (g.headers && shared['headers'] === undefined)
    shared['headers'] = Object.entries(g.headers).map(([name, value]) => ({ name, value }));
  return compact({
    name: g.name,
    // The gateway requires a type; the endpoints of a group share theirs.
    type: g.type ?? g.endpoints?.[0]?.type,
    loadBalancer: { type: gatewayEnum(g.loadBalancer?.type ?? 'ROUND_ROBIN') },
    sharedConfiguration: Object.keys(shared).length > 0 ? shared : undefined,
    endpoints: (g.endpoints ?? []).map((e, i) => endpoint(e, g.name, i)),
    services: g.services,
  });
}

/** Resources as the gateway loads them, ApiResource references replaced by the resource they name. */
function resources(list: ApiResourceEntry[] | undefined, context: Context): Json[] {
  return apiResources(list, context.namespace, context.refs);
}

/**
 * Gateways build a map of properties by key and fail on a missing key; `encryptable` is an
 * instruction to APIM, which is not in the loop here, so it is left out.
 */
function properties(list: ApiProperty[] | undefined): Json[] {
  return (list ?? [])
    .filter((p) => p.key)
    .map((p) => compact({ key: p.key, value: p.value ?? '', encrypted: p.encrypted, dynamic: p.dynamic }));
}

/**
 * The gateway calls message sampling `messageSampling` (GKO writes `sampling`, which gateways ignore);
 * its type labels keep their underscore (windowed_count), so they are only lower-cased.
 */
function analytics(a: NonNullable<ApiV4Definition['spec']['analytics']>): Json {
  const { sampling, ...rest } = a;
  return compact({
    ...rest,
    messageSampling: sampling ? { type: sampling.type.toLowerCase(), value: sampling.value } : undefined,
  });
}

/**
 * The definition gateways deploy. Left out, because gateways do not read them: the fields only APIM
 * uses (description, visibility, lifecycleState, state, labels, categories, groups, members,
 * metadata, pages, portalNavigation, notifications) and the operator's own (contextRef,
 * groupRefs, notificationsRefs). The lifecycle comes from the ConfigMap event, not from `state`.
 * `hrid`, `crossId` and `definitionContext` are not read either; they are kept, as GKO writes them,
 * to say which API the definition is and where it comes from.
 */
export function gatewayApiV4(api: ApiV4Definition, refs: ApiReferences, deployment: LocalDeployment): GatewayApiV4 {
  const spec = api.spec;
  const context: Context = { namespace: api.metadata.namespace ?? 'default', refs };
  // Sorted by key, so that the list does not depend on the order the map was read in (GKO ranges over
  // a Go map, whose order is random).
  const plans = Object.entries(spec.plans ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return compact({
    id: deployment.id,
    hrid: apiV4Ids(api).hrid,
    crossId: deployment.crossId ?? spec.crossId,
    name: spec.name,
    apiVersion: spec.version,
    definitionVersion: GATEWAY_DEFINITION_VERSION,
    type: gatewayEnum(spec.type),
    definitionContext: {
      origin: spec.definitionContext?.origin ?? 'KUBERNETES',
      syncFrom: spec.definitionContext?.syncFrom ?? 'MANAGEMENT',
    },
    tags: spec.tags,
    properties: properties(spec.properties),
    resources: resources(spec.resources, context),
    listeners: spec.listeners.map(listener),
    endpointGroups: spec.endpointGroups.map(endpointGroup),
    analytics: spec.analytics && analytics(spec.analytics),
    failover: spec.failover,
    flowExecution: spec.flowExecution
      ? compact({
          mode: spec.flowExecution.mode ? gatewayEnum(spec.flowExecution.mode) : undefined,
          matchRequired: spec.flowExecution.matchRequired,
        })
      : undefined,
    flows: flows(spec.flows, 'spec.flows', context),
    // Required by the gateway even when empty.
    plans: plans.map(([key, p]) => plan(api, key, p, deployment, context)),
    responseTemplates: spec.responseTemplates,
    services: spec.services,
    allowedInApiProducts: spec.allowedInApiProducts,
  });
}
