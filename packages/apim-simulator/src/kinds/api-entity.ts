// A v2 API as mAPI v1 answers a read (ApiEntity): the stored definition, with the id, cross id and
// state APIM reports, and without what APIM keeps apart from the API entity, so that a comparison
// that works against the simulator also works against APIM.
import type { ManagementV1 } from '@gko/mapi';
import type { StoredV2Api } from '../state.ts';

/** Definition fields that APIM stores as members, pages, metadata or notification settings. */
const KEPT_APART = ['members', 'notifyMembers', 'pages', 'metadata', 'consoleNotificationConfiguration'];

export function apiV2Entity(stored: StoredV2Api): ManagementV1.ApiV2Entity {
  const entity: ManagementV1.ApiV2Entity = {
    ...stored.definition,
    id: stored.status.id,
    crossId: stored.status.crossId,
    state: stored.status.state ?? 'STARTED',
  };
  for (const field of KEPT_APART) delete entity[field];
  return entity;
}
