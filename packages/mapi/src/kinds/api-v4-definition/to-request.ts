// An ApiV4Definition as the Automation API takes it (ApiV4Spec): maps become arrays with HRIDs,
// references are inlined, and fields are renamed where the two models differ.
import type { ApiV4Definition, FlowStep, V4EndpointGroup, V4Flow, V4Page, V4Plan } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { apiV4Ids } from '../../identity/apim-ids.ts';
import { keyHrid } from '../../identity/hrid.ts';
import { resolve, type ApiReferences } from '../references.ts';
import { members, metadata, policyStep, properties, resources, unique } from '../shared.ts';
import { apiV4CrossId, apiV4PageCrossId, apiV4PageId, apiV4PlanId } from './ids.ts';

/** The policy through which APIM runs a shared policy group in a flow. */
export const SHARED_POLICY_GROUP_POLICY = 'shared-policy-group-policy';

/**
 * A flow step as APIM and gateways take it; a step referring to a shared policy group runs it through
 * the policy APIM provides for that, configured with the group's crossId (what gateways and the console
 * look groups up by) and, for groups APIM knows by HRID, that HRID (from which APIM derives the crossId
 * when the group has not reported one yet). APIM refuses steps without a policy, so the step carries it.
 */
export function flowStep(s: FlowStep, field: string, namespace: string, refs: ApiReferences): A.StepV4 {
  if (s.sharedPolicyGroupRef) {
    const group = resolve(
      refs.sharedPolicyGroup,
      s.sharedPolicyGroupRef,
      namespace,
      `${field}.sharedPolicyGroupRef`,
      'SharedPolicyGroup',
    );
    return compact({
      name: s.name ?? group.name,
      description: s.description,
      enabled: s.enabled ?? true,
      policy: SHARED_POLICY_GROUP_POLICY,
      configuration: compact({ sharedPolicyGroupId: group.crossId, hrid: group.hrid }),
      condition: s.condition,
      messageCondition: s.messageCondition,
    });
  }
  return compact({ ...policyStep(s), messageCondition: s.messageCondition });
}

/**
 * What APIM calls the connect phase of native flows: `connect` up to 4.10, `entrypointConnect` from
 * 4.11 (a name APIM does not know is dropped without a word, so the right one matters).
 */
export type ConnectPhaseName = 'connect' | 'entrypointConnect';

export interface ApiV4RequestOptions {
  /** Default: entrypointConnect, the name of the APIM versions this operator targets. */
  connectPhase?: ConnectPhaseName;
}

/** Whether a flow of the API, or of one of its plans, has a connect phase (native APIs). */
export function usesConnectPhase(spec: Pick<ApiV4Definition['spec'], 'flows' | 'plans'>): boolean {
  const flows = [...(spec.flows ?? []), ...Object.values(spec.plans ?? {}).flatMap((p) => p.flows ?? [])];
  return flows.some((f) => (f.connect?.length ?? 0) > 0);
}

interface Mapping {
  namespace: string;
  refs: ApiReferences;
  connectPhase: ConnectPhaseName;
}

function flow(f: V4Flow, field: string, m: Mapping): A.FlowV4 {
  const phase = (name: 'request' | 'response' | 'subscribe' | 'publish' | 'connect' | 'interact') =>
    f[name]?.map((s, i) => flowStep(s, `${field}.${name}[${i}]`, m.namespace, m.refs));
  return compact({
    name: f.name,
    enabled: f.enabled ?? true,
    selectors: f.selectors as A.Selector[] | undefined,
    request: phase('request'),
    response: phase('response'),
    subscribe: phase('subscribe'),
    publish: phase('publish'),
    [m.connectPhase]: phase('connect'),
    interact: phase('interact'),
    tags: f.tags,
  });
}

function flows(list: V4Flow[] | undefined, field: string, m: Mapping): A.FlowV4[] {
  return (list ?? []).map((f, i) => flow(f, `${field}[${i}]`, m));
}

/** Ids of an API known by UUID, which its plans and pages carry; none for an API known by HRID. */
interface UuidIds {
  api: ApiV4Definition;
  id: string;
}

function plan(key: string, p: V4Plan, m: Mapping, uuid: UuidIds | undefined): A.PlanV4 {
  return compact({
    id: uuid ? apiV4PlanId(uuid.api, uuid.id, key) : p.id || undefined,
    hrid: keyHrid(key),
    name: p.name,
    description: p.description,
    security: p.security
      ? (compact({ type: p.security.type, configuration: p.security.configuration }) as A.PlanSecurity)
      : undefined,
    characteristics: p.characteristics,
    excludedGroups: p.excludedGroups,
    selectionRule: p.selectionRule,
    status: p.status ?? 'PUBLISHED',
    tags: p.tags,
    type: p.type ?? 'API',
    validation: p.validation ?? 'AUTO',
    mode: (p.mode ?? 'STANDARD') as A.PlanMode,
    flows: flows(p.flows, `spec.plans[${key}].flows`, m),
    generalConditionsHrid: p.generalConditions ? keyHrid(p.generalConditions) : undefined,
    bootstrapPort: p.bootstrapPort,
    brokerRangeStart: p.brokerRangeStart,
    brokerRangeEnd: p.brokerRangeEnd,
  });
}

/**
 * Pages of an API known by UUID also carry their id, crossId and parent id (APIM does not resolve
 * parentHrid for them); pages of an API known by HRID are identified by their HRIDs alone.
 */
function page(key: string, p: V4Page, uuid: UuidIds | undefined): A.PageV4 & { parentId?: string } {
  return compact({
    ...(uuid
      ? {
          id: apiV4PageId(uuid.api, uuid.id, key),
          crossId: apiV4PageCrossId(uuid.api, key),
          parentId: p.parent ? apiV4PageId(uuid.api, uuid.id, p.parent) : undefined,
        }
      : { id: p.id || undefined, crossId: p.crossId || undefined }),
    hrid: keyHrid(key),
    name: p.name,
    type: p.type,
    content: p.content,
    published: p.published ?? false,
    visibility: p.visibility ?? 'PUBLIC',
    source: p.source,
    configuration: p.configuration,
    homepage: p.homepage,
    parentHrid: p.parent ? keyHrid(p.parent) : undefined,
  });
}

/**
 * The Automation API has no HTTP, TLS or header settings on endpoint groups: for HTTP endpoints they
 * live in the shared configuration, which is where they are moved (without overriding it).
 */
function endpointGroup(g: V4EndpointGroup): A.EndpointGroupV4 {
  const shared = { ...(g.sharedConfiguration ?? {}) };
  if (g.http && shared['http'] === undefined) shared['http'] = g.http;
  if (g.ssl && shared['ssl'] === undefined) shared['ssl'] = g.ssl;
  if (g.headers && shared['headers'] === undefined)
    shared['headers'] = Object.entries(g.headers).map(([name, value]) => ({ name, value }));
  return compact({
    name: g.name,
    type: g.type ?? g.endpoints?.[0]?.type ?? '',
    // APIM balances round-robin unless told otherwise.
    loadBalancer: g.loadBalancer?.type ? { type: g.loadBalancer.type } : undefined,
    sharedConfiguration: Object.keys(shared).length > 0 ? shared : undefined,
    endpoints: (g.endpoints ?? []).map((e, i) =>
      compact({
        // APIM needs every endpoint named.
        name: e.name ?? `${g.name}-${i + 1}`,
        type: e.type,
        weight: e.weight,
        inheritConfiguration: e.inheritConfiguration,
        configuration: e.configuration,
        sharedConfigurationOverride: e.sharedConfigurationOverride,
        services: e.services?.healthCheck ? { healthCheck: service(e.services.healthCheck) } : undefined,
        secondary: e.secondary,
        tenants: e.tenants,
      }),
    ),
    services: g.services
      ? compact({
          discovery: g.services.discovery && service(g.services.discovery),
          healthCheck: g.services.healthCheck && service(g.services.healthCheck),
        })
      : undefined,
  });
}

function service(s: {
  enabled: boolean;
  overrideConfiguration: boolean;
  type?: string;
  configuration?: Record<string, unknown>;
}): A.ServiceV4 {
  return {
    enabled: s.enabled,
    overrideConfiguration: s.overrideConfiguration,
    type: s.type ?? '',
    configuration: s.configuration ?? {},
  };
}

/**
 * The body of the Automation API's PUT for the API. Its `hrid` is the API's HRID, or its UUID when
 * APIM knows it by UUID (see apiV4Ids: the request then needs `hridContainsUUID`), in which case the
 * body also carries the crossId (by which APIM finds the API) and the ids of plans and pages.
 */
export function toApiV4Spec(api: ApiV4Definition, refs: ApiReferences, options: ApiV4RequestOptions = {}): A.ApiV4Spec {
  const spec = api.spec;
  const m: Mapping = {
    namespace: api.metadata.namespace ?? 'default',
    refs,
    connectPhase: options.connectPhase ?? 'entrypointConnect',
  };
  const ids = apiV4Ids(api);
  const uuid = ids.hridContainsUUID ? { api, id: ids.hrid } : undefined;
  const flowMode = spec.flowExecution?.mode?.toUpperCase();
  return compact({
    hrid: ids.hrid,
    crossId: uuid ? apiV4CrossId(api) : spec.crossId || undefined,
    name: spec.name,
    version: spec.version,
    description: spec.description,
    type: spec.type,
    state: spec.state ?? 'STARTED',
    lifecycleState: spec.lifecycleState ?? 'UNPUBLISHED',
    visibility: spec.visibility ?? 'PRIVATE',
    tags: spec.tags && unique(spec.tags),
    labels: spec.labels && unique(spec.labels),
    categories: spec.categories,
    groups: unique([...(spec.groups ?? []), ...refs.groupNames]),
    members: members(spec.members),
    notifyMembers: spec.notifyMembers ?? true,
    properties: properties(spec.properties),
    metadata: metadata(spec.metadata),
    resources: resources(spec.resources, m.namespace, refs),
    listeners: spec.listeners as A.Listener[],
    endpointGroups: spec.endpointGroups.map((g) => endpointGroup(g)),
    analytics: spec.analytics,
    failover: spec.failover,
    flowExecution: spec.flowExecution
      ? compact({
          mode: flowMode === 'BEST_MATCH' || flowMode === 'DEFAULT' ? flowMode : undefined,
          matchRequired: spec.flowExecution.matchRequired,
        })
      : undefined,
    flows: flows(spec.flows, 'spec.flows', m),
    plans: Object.entries(spec.plans ?? {}).map(([key, p]) => plan(key, p, m, uuid)),
    // No pages declared sends none: APIM keeps the documentation it has (an empty list would remove it).
    pages: spec.pages && Object.entries(spec.pages).map(([key, p]) => page(key, p, uuid)),
    responseTemplates: spec.responseTemplates as A.ApiV4Spec['responseTemplates'],
    services: spec.services?.dynamicProperty ? { dynamicProperty: service(spec.services.dynamicProperty) } : undefined,
    portalNavigation: spec.portalNavigation,
    allowedInApiProducts: spec.allowedInApiProducts,
    allowMultiJwtOauth2Subscriptions: spec.allowMultiJwtOauth2Subscriptions,
    consoleNotification: refs.consoleNotification as A.ApiV4Spec['consoleNotification'],
  }) as A.ApiV4Spec;
}
