import type * as A from '../generated/automation.ts';
import { compact } from '../compact.ts';

/** The ids and problems every stored object reports, as status fields. */
export function baseStatus(state: A.BaseStatus): {
  id?: string;
  organizationId?: string;
  environmentId?: string;
  errors?: { severe?: string[]; warning?: string[] };
} {
  return compact({
    id: state.id,
    organizationId: state.organizationId,
    environmentId: state.environmentId,
    errors: state.errors ? compact({ severe: state.errors.severe, warning: state.errors.warning }) : undefined,
  });
}
