import type { PortalListing } from '@gko/api';
import { objectHrid, toPortalListingSpec } from '@gko/mapi';
import { withDryRun } from '../../rules/dry-run.ts';
import { identityFindings } from '../../rules/identity.ts';
import { findPortal, findPortalApi } from '../../rules/portal.ts';
import { error, type Finding, type KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

/** The same API listed twice at one location would be shown twice. */
function repeated(listing: PortalListing, namespace: string): Finding[] {
  const seen = new Set<string>();
  return listing.spec.apis.flatMap((entry, i) => {
    const key = `${entry.ref.namespace || namespace}/${entry.ref.name}@${entry.location}`;
    if (seen.has(key))
      return [error(`spec.apis[${i}]`, `the API ${entry.ref.name} is already listed at ${entry.location}`)];
    seen.add(key);
    return [];
  });
}

export const portalListing: KindAdmission = {
  kind: 'PortalListing',
  validates: ['CREATE', 'UPDATE'],
  validate(input, lookups) {
    const listing = input.object as PortalListing;
    const { namespace } = input;
    const portal = findPortal(listing.spec.portalRef, namespace, lookups);
    const findings = [
      ...identityFindings('PortalListing', input, lookups),
      ...templateFindings(listing.spec, namespace, lookups),
      ...portal.findings,
      ...repeated(listing, namespace),
    ];
    if (portal.contextKey)
      listing.spec.apis.forEach((entry, i) =>
        findings.push(
          ...findPortalApi(entry.ref, namespace, lookups, `spec.apis[${i}].ref`, portal.contextKey).findings,
        ),
      );
    return withDryRun(findings, portal.context, lookups, (client) =>
      client
        .portalListings(objectHrid(portal.object!.metadata))
        .put(toPortalListingSpec(compiled(listing, namespace, lookups)), { dryRun: true }),
    );
  },
};
