import type { ApiDefinitionStatus } from '@gko/api';
import type * as V1 from '../../generated/management-v1.ts';
import { compact } from '../../compact.ts';

export function apiV2Status(status: V1.ApiV2ImportStatus): ApiDefinitionStatus {
  return compact({
    id: status.id,
    crossId: status.crossId,
    organizationId: status.organizationId,
    environmentId: status.environmentId,
    state: status.state,
    plans: status.plans,
    errors: status.errors ? compact({ severe: status.errors.severe, warning: status.errors.warning }) : undefined,
  });
}
