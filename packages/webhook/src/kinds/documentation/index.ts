import type { Documentation } from '@gko/api';
import { objectHrid, toDocumentationSpec } from '@gko/mapi';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings } from '../../rules/identity.ts';
import { findPortal, findPortalApi } from '../../rules/portal.ts';
import { usersOf } from '../../rules/references.ts';
import { error, type Finding, type KindAdmission, type Lookups } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

/** A portal has one homepage: APIM refuses a second one when it is applied, admission says so first. */
function secondHomepage(page: Documentation, namespace: string, name: string, lookups: Lookups): Finding[] {
  const ref = page.spec.portalRef;
  if (!ref || page.spec.area !== 'HOMEPAGE') return [];
  const portal = `${ref.namespace || namespace}/${ref.name}`;
  const other = usersOf(lookups, 'Portal', portal, ['Documentation'])
    .map((u) => u.object as Documentation)
    .find(
      (d) =>
        d.spec.area === 'HOMEPAGE' &&
        !(d.metadata.namespace === namespace && d.metadata.name === name) &&
        !d.metadata.deletionTimestamp,
    );
  return other
    ? [
        error(
          'spec.area',
          `Portal ${portal} already has a homepage: Documentation ${other.metadata.namespace}/${other.metadata.name}`,
        ),
      ]
    : [];
}

export const documentation: KindAdmission = {
  kind: 'Documentation',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const page = input.object as Documentation;
    const { namespace, name } = input;
    const findings = [
      ...identityFindings('Documentation', input, lookups),
      ...templateFindings(page.spec, namespace, lookups),
      ...secondHomepage(page, namespace, name, lookups),
    ];
    const body = () => toDocumentationSpec(compiled(page, namespace, lookups));
    if (page.spec.portalRef) {
      const portal = findPortal(page.spec.portalRef, namespace, lookups);
      return withDryRun([...findings, ...portal.findings], portal.context, lookups, (client) =>
        client.portalDocumentations(objectHrid(portal.object!.metadata)).put(body(), { dryRun: true }),
      );
    }
    if (!page.spec.apiRef) return Promise.resolve(findings);
    const api = findPortalApi(page.spec.apiRef, namespace, lookups, 'spec.apiRef');
    return withDryRun([...findings, ...api.findings], api.context, lookups, (client) =>
      client.apiDocumentations(objectHrid(api.object!.metadata)).put(body(), { dryRun: true }),
    );
  },
};
