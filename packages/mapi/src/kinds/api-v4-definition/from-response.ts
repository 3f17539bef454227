import type { ApiV4DefinitionStatus } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';

/** What the status of an ApiV4Definition records of the API stored by APIM. */
export function apiV4Status(state: A.ApiV4State): ApiV4DefinitionStatus {
  return compact({
    id: state.id,
    crossId: state.crossId,
    organizationId: state.organizationId,
    environmentId: state.environmentId,
    state: state.state === 'STOPPED' ? 'STOPPED' : state.state === 'STARTED' ? 'STARTED' : undefined,
    plans: Object.fromEntries((state.plans ?? []).filter((p) => p.id).map((p) => [p.hrid, p.id!])),
    errors: state.errors ? compact({ severe: state.errors.severe, warning: state.errors.warning }) : undefined,
  });
}
