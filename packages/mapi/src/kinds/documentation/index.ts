import type { Documentation } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { hridOnlyIds } from '../../identity/apim-ids.ts';

/** The page; the path it is sent to (its portal's or its API's) says where it belongs. */
export function toDocumentationSpec(page: Documentation): A.DocumentationSpec {
  const { name, type, content, location, order, area } = page.spec;
  return compact({ hrid: hridOnlyIds(page).hrid, name, type, content, location, order, area });
}
