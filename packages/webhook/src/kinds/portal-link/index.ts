import type { PortalLink } from '@gko/api';
import { objectHrid, toPortalLinkSpec } from '@gko/mapi';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings } from '../../rules/identity.ts';
import { findPortal } from '../../rules/portal.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

export const portalLink: KindAdmission = {
  kind: 'PortalLink',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const link = input.object as PortalLink;
    const { namespace } = input;
    const portal = findPortal(link.spec.portalRef, namespace, lookups);
    const findings = [
      ...identityFindings('PortalLink', input, lookups),
      ...templateFindings(link.spec, namespace, lookups),
      ...portal.findings,
    ];
    return withDryRun(findings, portal.context, lookups, (client) =>
      client
        .portalLinks(objectHrid(portal.object!.metadata))
        .put(toPortalLinkSpec(compiled(link, namespace, lookups)), { dryRun: true }),
    );
  },
};
