// An ApiV4Definition as the Automation API takes it (ApiV4Spec): maps become arrays with HRIDs,
// references are inlined, and fields are renamed where the two models differ.
import type { ApiV4Definition, FlowStep, V4EndpointGroup, V4Flow, V4Page, V4Plan } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact, keyHrid, objectHrid } from '../../hrid.ts';
import { resolve, type ApiReferences } from '../references.ts';
import { members, metadata, policyStep, properties, resources, unique } from '../shared.ts';

/** The policy through which APIM runs a shared policy group in a flow. */
export const SHARED_POLICY_GROUP_POLICY = 'shared-policy-group-policy';

/**
 * A flow step as APIM and gateways take it; a step referring to a shared policy group runs it through
 * the policy APIM provides for that, configured with the group's ids.
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

function flow(f: V4Flow, field: string, namespace: string, refs: ApiReferences): A.FlowV4 {
  const phase = (name: 'request' | 'response' | 'subscribe' | 'publish' | 'connect' | 'interact') =>
    f[name]?.map((s, i) => flowStep(s, `${field}.${name}[${i}]`, namespace, refs));
  return compact({
    name: f.name,
    enabled: f.enabled ?? true,
    selectors: f.selectors as A.Selector[] | undefined,
    request: phase('request'),
    response: phase('response'),
    subscribe: phase('subscribe'),
    publish: phase('publish'),
    // The Automation API names the connect phase entrypointConnect.
    entrypointConnect: phase('connect'),
    interact: phase('interact'),
    tags: f.tags,
  });
}

function flows(list: V4Flow[] | undefined, field: string, namespace: string, refs: ApiReferences): A.FlowV4[] {
  return (list ?? []).map((f, i) => flow(f, `${field}[${i}]`, namespace, refs));
}

function plan(key: string, p: V4Plan, namespace: string, refs: ApiReferences): A.PlanV4 {
  return compact({
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
    flows: flows(p.flows, `spec.plans[${key}].flows`, namespace, refs),
    generalConditionsHrid: p.generalConditions ? keyHrid(p.generalConditions) : undefined,
    bootstrapPort: p.bootstrapPort,
    brokerRangeStart: p.brokerRangeStart,
    brokerRangeEnd: p.brokerRangeEnd,
  });
}

function page(key: string, p: V4Page): A.PageV4 {
  return compact({
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
    loadBalancer: { type: g.loadBalancer?.type ?? 'ROUND_ROBIN' },
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

export function toApiV4Spec(api: ApiV4Definition, refs: ApiReferences): A.ApiV4Spec {
  const spec = api.spec;
  const namespace = api.metadata.namespace ?? 'default';
  const flowMode = spec.flowExecution?.mode?.toUpperCase();
  return compact({
    hrid: objectHrid(api.metadata, spec.hrid),
    crossId: spec.crossId,
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
    resources: resources(spec.resources, namespace, refs),
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
    flows: flows(spec.flows, 'spec.flows', namespace, refs),
    plans: Object.entries(spec.plans ?? {}).map(([key, p]) => plan(key, p, namespace, refs)),
    pages: Object.entries(spec.pages ?? {}).map(([key, p]) => page(key, p)),
    responseTemplates: spec.responseTemplates as A.ApiV4Spec['responseTemplates'],
    services: spec.services?.dynamicProperty ? { dynamicProperty: service(spec.services.dynamicProperty) } : undefined,
    portalNavigation: spec.portalNavigation,
    allowedInApiProducts: spec.allowedInApiProducts,
    allowMultiJwtOauth2Subscriptions: spec.allowMultiJwtOauth2Subscriptions,
    consoleNotification: refs.consoleNotification as A.ApiV4Spec['consoleNotification'],
  }) as A.ApiV4Spec;
}
