import type { ApiV4Definition } from '@gko/api';
import { apiReferences, apiV4Ids, apiV4Request, idFlags } from '@gko/mapi';
import { apiFindings } from '../../rules/api.ts';
import { claimsOf, identityFindings, withStatus } from '../../rules/identity.ts';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { objectLookup } from '../../rules/lookup-adapter.ts';
import { portalUsersGuard } from '../../rules/portal.ts';
import { subscriptionGuard } from '../../rules/references.ts';
import { error, warning, type Finding, type KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';
import { sharedPolicyGroupFindings } from './shared-policy-groups.ts';
import { typeFindings } from './type-rules.ts';

function generalConditionsFindings(spec: ApiV4Definition['spec']): Finding[] {
  return Object.entries(spec.plans ?? {}).flatMap(([key, plan]) =>
    plan.generalConditions && !spec.pages?.[plan.generalConditions]
      ? [error(`spec.plans.${key}.generalConditions`, `there is no page ${plan.generalConditions} in pages`)]
      : [],
  );
}

function deployedNowhere(spec: ApiV4Definition['spec']): Finding[] {
  return !spec.contextRef && (spec.definitionContext?.syncFrom ?? 'MANAGEMENT') === 'MANAGEMENT'
    ? [
        warning(
          'spec.definitionContext.syncFrom',
          'without contextRef and with syncFrom MANAGEMENT the API is deployed nowhere: set syncFrom to KUBERNETES, or set contextRef',
        ),
      ]
    : [];
}

export const apiV4Definition: KindAdmission = {
  kind: 'ApiV4Definition',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const api = input.object as ApiV4Definition;
    const { namespace, operation } = input;
    if (operation === 'DELETE') {
      const portalUsers = portalUsersGuard(lookups, 'ApiV4Definition', input.object);
      if (portalUsers.length > 0) return Promise.resolve(portalUsers);
      return subscriptionGuard(lookups, 'ApiV4Definition', input.object);
    }
    const { context, findings: contextFindings } = findContext(api.spec.contextRef, namespace, lookups);
    const findings = [
      ...identityFindings('ApiV4Definition', input, lookups),
      ...templateFindings(api.spec, namespace, lookups),
      ...contextFindings,
      ...typeFindings(api.spec),
      ...apiFindings('ApiV4Definition', api, namespace, Object.keys(api.spec.plans ?? {}), operation, lookups),
      ...generalConditionsFindings(api.spec),
      ...sharedPolicyGroupFindings(api, lookups),
      ...deployedNowhere(api.spec),
    ];
    // The request the controller makes, dry-run: the same body and the same ids.
    return withDryRun(findings, context, lookups, async (client) => {
      const definition = compiled(withStatus<typeof api>(input), namespace, lookups);
      const references = apiReferences(definition, objectLookup(lookups));
      const body = await apiV4Request(client, definition, references, claimsOf(lookups));
      return client.apis.put(body, { dryRun: true, ...idFlags(apiV4Ids(definition)) });
    });
  },
};
