// A Portal is sent with its navigation as structure.topNavbar, in the order written. The deprecated
// navigation list becomes the same structure: APIM reads both alike, placing entries in list order
// (it has no use for their order field).
import type { Portal } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { hridOnlyIds } from '../../identity/apim-ids.ts';

export function toPortalSpec(portal: Portal): A.PortalSpec {
  const entries = portal.spec.structure?.topNavbar ?? portal.spec.navigation;
  return compact({
    hrid: hridOnlyIds(portal).hrid,
    name: portal.spec.name,
    structure: entries
      ? { topNavbar: entries.map((entry) => compact({ path: entry.path, displayName: entry.displayName })) }
      : undefined,
  });
}
