import type { Portal } from '@gko/api';
import { toPortalSpec } from '@gko/mapi';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings } from '../../rules/identity.ts';
import { portalUsersGuard } from '../../rules/portal.ts';
import { warning, type KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

export const portal: KindAdmission = {
  kind: 'Portal',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    if (input.operation === 'DELETE') return Promise.resolve(portalUsersGuard(lookups, 'Portal', input.object));
    const portal = input.object as Portal;
    const { namespace } = input;
    const { context, findings: contextFindings } = findContext(portal.spec.contextRef, namespace, lookups);
    const findings = [
      ...identityFindings('Portal', input, lookups),
      ...templateFindings(portal.spec, namespace, lookups),
      ...contextFindings,
      ...(portal.spec.navigation
        ? [
            warning(
              'spec.navigation',
              'navigation is deprecated: write the same entries under structure.topNavbar. They are sent that way, shown in the order listed; APIM does not read their order values',
            ),
          ]
        : []),
    ];
    return withDryRun(findings, context, lookups, (client) =>
      client.portals.put(toPortalSpec(compiled(portal, namespace, lookups)), { dryRun: true }),
    );
  },
};
