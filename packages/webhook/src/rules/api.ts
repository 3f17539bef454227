// What v2 and v4 API definitions are checked for alike.
import {
  isIngressTemplate,
  referenceKey,
  resolveReference,
  type ApiDefinition,
  type ApiResourceEntry,
  type ApiV4Definition,
  type Notification,
  type ObjectReference,
} from '@gko/api';
import { contextPathKey, formatContextPath, v2ContextPaths, v4ContextPaths, type ContextPath } from '@gko/mapi';
import { subscriptionsOf } from './references.ts';
import type { Operation } from '../admission/review.ts';
import { error, missingObject, warning, type Finding, type Lookups } from './rule.ts';

export type AnyApi = ApiDefinition | ApiV4Definition;
type ApiKind = 'ApiDefinition' | 'ApiV4Definition';

/** The context paths of an API, each with the field it comes from. */
export function pathsWithFields(kind: ApiKind, api: AnyApi): (ContextPath & { field: string })[] {
  if (kind === 'ApiDefinition') {
    return ((api as ApiDefinition).spec.proxy?.virtual_hosts ?? []).flatMap((v, i) =>
      v.path === undefined
        ? []
        : v2ContextPaths({ virtual_hosts: [v] }).map((p) => ({ ...p, field: `spec.proxy.virtual_hosts[${i}].path` })),
    );
  }
  return ((api as ApiV4Definition).spec.listeners ?? []).flatMap((listener, l) =>
    listener.type !== 'HTTP'
      ? []
      : (listener.paths ?? []).flatMap((p, i) =>
          v4ContextPaths([{ type: 'HTTP', paths: [p] }]).map((path) => ({
            ...path,
            field: `spec.listeners[${l}].paths[${i}].path`,
          })),
        ),
  );
}

/** Where an API is deployed: its context, or the gateways' ConfigMaps when it has none. */
const deploymentTarget = (api: AnyApi) =>
  api.spec.contextRef ? `context:${referenceKey(api.spec.contextRef, api.metadata.namespace ?? '')}` : 'local';

/**
 * Two APIs deployed to the same place cannot share a context path: compared within the namespace, or
 * across the cluster when so configured.
 */
export function contextPathFindings(kind: ApiKind, api: AnyApi, lookups: Lookups): Finding[] {
  const findings: Finding[] = [];
  const mine = pathsWithFields(kind, api);
  for (const p of mine) {
    if (!/^\/?[^\s?#]*$/.test(p.path)) findings.push(error(p.field, `${p.path} is not a valid context path`));
  }
  const seen = new Map<string, string>();
  for (const p of mine) {
    const k = contextPathKey(p);
    if (seen.has(k)) findings.push(error(p.field, `${formatContextPath(p)} is already declared at ${seen.get(k)}`));
    else seen.set(k, p.field);
  }
  const inScope = (other: AnyApi) =>
    lookups.settings.contextPathScope === 'cluster' || other.metadata.namespace === api.metadata.namespace;
  const target = deploymentTarget(api);
  for (const p of mine) {
    // Through the index: the cost does not grow with the number of APIs.
    const owner = API_KINDS.flatMap((otherKind) =>
      lookups
        .byIndex<AnyApi>(otherKind, CONTEXT_PATHS_INDEX, contextPathKey(p))
        .filter((other) => {
          const same =
            otherKind === kind &&
            other.metadata.namespace === api.metadata.namespace &&
            other.metadata.name === api.metadata.name;
          return !same && inScope(other) && !isIngressTemplate(other) && deploymentTarget(other) === target;
        })
        .map((other) => `${otherKind} ${other.metadata.namespace}/${other.metadata.name}`),
    ).sort()[0];
    if (owner) findings.push(error(p.field, `context path ${formatContextPath(p)} is already used by ${owner}`));
  }
  return findings;
}

const API_KINDS = ['ApiDefinition', 'ApiV4Definition'] as const;

/** The index of APIs by context path (contextPathKey), on both API kinds. */
export const CONTEXT_PATHS_INDEX = 'contextPaths';

export function contextPathIndex(kind: ApiKind): (object: unknown) => string[] {
  return (object) => [...new Set(pathsWithFields(kind, object as AnyApi).map(contextPathKey))];
}

export function startedWithoutPlans(api: AnyApi, planCount: number): Finding[] {
  return (api.spec.state ?? 'STARTED') === 'STARTED' && planCount === 0
    ? [error('spec.plans', 'a started API needs at least one plan: add a plan, or set state to STOPPED')]
    : [];
}

export function resourceFindings(
  resources: ApiResourceEntry[] | undefined,
  namespace: string,
  lookups: Lookups,
): Finding[] {
  return (resources ?? []).flatMap((resource, i) => {
    if (resource.ref) {
      const { namespace: ns, name } = resolveReference(resource.ref, namespace);
      return lookups.get('ApiResource', ns, name)
        ? []
        : [missingObject(`spec.resources[${i}].ref`, { kind: 'ApiResource', namespace: ns, name })];
    }
    return resource.configuration === undefined
      ? [error(`spec.resources[${i}].configuration`, 'a resource defined here needs a configuration')]
      : [];
  });
}

export function pageParentFindings(pages: Record<string, { parent?: string }> | undefined): Finding[] {
  return Object.entries(pages ?? {}).flatMap(([key, page]) =>
    page.parent === undefined || pages?.[page.parent]
      ? []
      : [error(`spec.pages.${key}.parent`, `there is no page ${page.parent} in pages`)],
  );
}

export function notificationFindings(
  refs: ObjectReference[] | undefined,
  namespace: string,
  lookups: Lookups,
): Finding[] {
  const findings: Finding[] = [];
  let firstConsole: string | undefined;
  (refs ?? []).forEach((ref, i) => {
    const path = `spec.notificationsRefs[${i}]`;
    const { namespace: ns, name } = resolveReference(ref, namespace);
    const notification = lookups.get<Notification>('Notification', ns, name);
    if (!notification) return void findings.push(missingObject(path, { kind: 'Notification', namespace: ns, name }));
    if ((notification.spec.eventType ?? 'api') !== 'api')
      findings.push(error(path, `Notification ${ns}/${name} is not about API events`));
    if ((notification.spec.target ?? 'console') === 'console') {
      if (firstConsole)
        findings.push(
          error(
            path,
            `an API takes at most one console notification, and Notification ${ns}/${name} comes after Notification ${firstConsole}`,
          ),
        );
      else firstConsole = `${ns}/${name}`;
    }
    if (!notification.spec.console?.apiEvents?.length)
      findings.push(warning(path, `Notification ${ns}/${name} lists no API events`));
    for (const group of notification.spec.console?.groupRefs ?? []) {
      const g = resolveReference(group, ns);
      if (!lookups.get('Group', g.namespace, g.name))
        findings.push(
          warning(path, `Notification ${ns}/${name} refers to Group ${g.namespace}/${g.name}, which does not exist`),
        );
    }
  });
  return findings;
}

export function groupRefFindings(refs: ObjectReference[] | undefined, namespace: string, lookups: Lookups): Finding[] {
  return (refs ?? []).flatMap((ref, i) => {
    const { namespace: ns, name } = resolveReference(ref, namespace);
    return lookups.get('Group', ns, name)
      ? []
      : [
          warning(
            `spec.groupRefs[${i}]`,
            `Group ${ns}/${name} does not exist (yet): its members get no access until it does`,
          ),
        ];
  });
}

/** On update: a plan that a Subscription uses cannot disappear. */
export function subscribedPlanFindings(
  kind: ApiKind,
  api: AnyApi,
  planExists: (key: string) => boolean,
  lookups: Lookups,
): Finding[] {
  const target = `${api.metadata.namespace}/${api.metadata.name}`;
  return subscriptionsOf(lookups, kind, target)
    .filter((s) => !planExists(s.spec.plan))
    .map((s) =>
      error(
        'spec.plans',
        `plan ${s.spec.plan} is used by Subscription ${s.metadata.namespace}/${s.metadata.name}: keep it, or delete the subscription first`,
      ),
    );
}

/**
 * What v2 and v4 APIs are both checked for, after templates and context: plans, context paths and
 * the references an API holds; on update, that subscribed plans are still there.
 */
export function apiFindings(
  kind: ApiKind,
  api: AnyApi,
  namespace: string,
  planKeys: string[],
  operation: Operation,
  lookups: Lookups,
): Finding[] {
  return [
    ...startedWithoutPlans(api, planKeys.length),
    ...contextPathFindings(kind, api, lookups),
    ...resourceFindings(api.spec.resources, namespace, lookups),
    ...pageParentFindings(api.spec.pages),
    ...notificationFindings(api.spec.notificationsRefs, namespace, lookups),
    ...groupRefFindings(api.spec.groupRefs, namespace, lookups),
    ...(operation === 'UPDATE' ? subscribedPlanFindings(kind, api, (key) => planKeys.includes(key), lookups) : []),
  ];
}
