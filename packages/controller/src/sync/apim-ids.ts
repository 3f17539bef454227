// How APIM knows an object (see identity/apim-ids.ts in @gko/mapi), and the condition that records it.
import type { ApimIds } from '@gko/mapi';
import { ok, type Verdicts } from '../status/conditions.ts';

export { idFlags, type ApimIds } from '@gko/mapi';

/** Marks an object synchronised by HRID: from then on it is never mistaken for a legacy object. */
export function managedVerdict(ids: ApimIds): Verdicts {
  return ids.hridContainsUUID
    ? {}
    : { AutomationAPIManaged: ok('AutomationAPIManaged', 'known to APIM by its human-readable id') };
}
