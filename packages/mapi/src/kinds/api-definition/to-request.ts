// An ApiDefinition (v2) as mAPI v1 import-crd takes it: the spec with the ids APIM needs computed,
// references inlined, and the fields only the operator reads removed.
import type { ApiDefinition, V2Page, V2Plan } from '@gko/api';
import type * as V1 from '../../generated/management-v1.ts';
import { compact, deterministicUuid } from '../../hrid.ts';
import type { ApiReferences } from '../references.ts';
import { members, resources, unique } from '../shared.ts';

export interface V2Ids {
  id: string;
  crossId: string;
}

/** The ids of a v2 API: kept once known (status, then spec), else derived from the object. */
export function v2ApiIds(api: ApiDefinition): V2Ids {
  const namespace = api.metadata.namespace ?? 'default';
  return {
    id:
      api.status?.id ?? api.spec.id ?? api.metadata.uid ?? deterministicUuid('api', namespace, api.metadata.name ?? ''),
    crossId:
      api.status?.crossId ?? api.spec.crossId ?? deterministicUuid('api-cross-id', namespace, api.metadata.name ?? ''),
  };
}

function plan(p: V2Plan, ids: V2Ids, knownPlanIds: Record<string, string>): V1.ApiV2Plan {
  const crossId = p.crossId ?? deterministicUuid(ids.crossId, 'plan', p.name);
  // The security is sent as written; APIM refuses values it does not know.
  const security = p.security as V1.ApiV2Plan['security'];
  return {
    ...p,
    security,
    crossId,
    id: p.id ?? knownPlanIds[crossId] ?? deterministicUuid(ids.id, 'plan', p.name),
    api: ids.id,
  };
}

function pages(map: Record<string, V2Page> | undefined, ids: V2Ids): Record<string, Record<string, unknown>> {
  const pageId = (key: string) => deterministicUuid(ids.id, 'page', key);
  return Object.fromEntries(
    Object.entries(map ?? {}).map(([key, p]) => [
      key,
      compact({
        ...p,
        id: p.id ?? pageId(key),
        crossId: p.crossId ?? deterministicUuid(ids.crossId, 'page', key),
        parentId: p.parent ? pageId(p.parent) : undefined,
        api: ids.id,
      }),
    ]),
  );
}

export function toV2Definition(api: ApiDefinition, refs: ApiReferences): V1.ApiV2Definition {
  const { contextRef: _context, local, groupRefs: _groups, notificationsRefs: _notifications, ...spec } = api.spec;
  const namespace = api.metadata.namespace ?? 'default';
  const ids = v2ApiIds(api);
  return compact({
    ...spec,
    ...ids,
    gravitee: '2.0.0',
    definition_context: { origin: 'kubernetes', mode: 'fully_managed', syncFrom: local ? 'kubernetes' : 'management' },
    plans: (spec.plans ?? []).map((p) => plan(p, ids, api.status?.plans ?? {})),
    pages: pages(spec.pages, ids),
    members: members(spec.members),
    groups: unique([...(spec.groups ?? []), ...refs.groupNames]),
    resources: resources(spec.resources, namespace, refs),
    consoleNotificationConfiguration: refs.consoleNotification
      ? {
          config_type: 'GENERIC',
          origin: 'KUBERNETES',
          referenceType: 'API',
          referenceId: ids.id,
          hooks: refs.consoleNotification.events,
          groups: refs.consoleNotification.groups,
        }
      : undefined,
  }) as V1.ApiV2Definition;
}
