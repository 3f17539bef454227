// An ApiDefinition (v2) as mAPI v1 import-crd takes it: the spec with the ids APIM needs computed,
// references inlined, and the fields only the operator reads removed.
import type { ApiDefinition, V2Page, V2Plan } from '@gko/api';
import type * as V1 from '../../generated/management-v1.ts';
import { compact } from '../../compact.ts';
import type { ApiReferences } from '../references.ts';
import { members, resources, unique } from '../shared.ts';
import { v2ApiIds, v2PageCrossId, v2PageId, v2PlanCrossId, v2PlanId, type V2Ids } from './ids.ts';

function plan(p: V2Plan, ids: V2Ids, knownPlanIds: Record<string, string> | undefined): V1.ApiV2Plan {
  // The security is sent as written; APIM refuses values it does not know.
  const security = p.security as V1.ApiV2Plan['security'];
  return { ...p, security, crossId: v2PlanCrossId(ids, p), id: v2PlanId(ids, p, knownPlanIds) };
}

/** No pages declared sends none: APIM keeps the documentation it has. */
function pages(api: ApiDefinition, ids: V2Ids): Record<string, Record<string, unknown>> | undefined {
  if (!api.spec.pages) return undefined;
  return Object.fromEntries(
    Object.entries(api.spec.pages).map(([key, p]: [string, V2Page]) => [
      key,
      compact({
        ...p,
        id: p.id || v2PageId(ids, key),
        crossId: p.crossId || v2PageCrossId(api, key),
        parentId: p.parent ? v2PageId(ids, p.parent) : undefined,
        api: ids.id,
      }),
    ]),
  );
}

/** Gateways read the definition from APIM unless it is deployed locally and not told otherwise. */
function syncFrom(api: ApiDefinition): 'KUBERNETES' | 'MANAGEMENT' {
  const declared = api.spec.definition_context?.syncFrom?.toUpperCase();
  return api.spec.local && declared !== 'MANAGEMENT' ? 'KUBERNETES' : 'MANAGEMENT';
}

export function toV2Definition(api: ApiDefinition, refs: ApiReferences): V1.ApiV2Definition {
  const { contextRef: _context, local: _local, groupRefs: _groups, notificationsRefs: _notes, ...spec } = api.spec;
  const namespace = api.metadata.namespace ?? 'default';
  const ids = v2ApiIds(api);
  return compact({
    ...spec,
    ...ids,
    gravitee: '2.0.0',
    definition_context: {
      origin: spec.definition_context?.origin ?? 'kubernetes',
      mode: spec.definition_context?.mode ?? 'fully_managed',
      syncFrom: syncFrom(api),
    },
    plans: (spec.plans ?? []).map((p) => plan(p, ids, api.status?.plans)),
    pages: pages(api, ids),
    members: members(spec.members),
    groups: unique([...(spec.groups ?? []), ...refs.groupNames]),
    resources: resources(spec.resources, namespace, refs),
    // Console notifications as upstream's operator configures them: the events and the groups to tell.
    consoleNotificationConfiguration: refs.consoleNotification
      ? {
          config_type: 'PORTAL',
          origin: 'KUBERNETES',
          hooks: refs.consoleNotification.events,
          groups: refs.consoleNotification.groups,
        }
      : undefined,
  }) as V1.ApiV2Definition;
}
