import type { PortalLink } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { hridOnlyIds } from '../../identity/apim-ids.ts';

export function toPortalLinkSpec(link: PortalLink): A.PortalLinkSpec {
  const { name, href, location, order } = link.spec;
  return compact({ hrid: hridOnlyIds(link).hrid, name, href, location, order });
}
