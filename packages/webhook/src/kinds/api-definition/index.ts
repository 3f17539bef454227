import type { ApiDefinition } from '@gko/api';
import { apiReferences, toV2Definition } from '@gko/mapi';
import { apiFindings } from '../../rules/api.ts';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { objectLookup } from '../../rules/lookup-adapter.ts';
import { subscriptionGuard } from '../../rules/references.ts';
import type { KindAdmission } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

/** Templates for the ingress controller are not APIs of their own: they are not checked. */
export const isIngressTemplate = (api: ApiDefinition) => api.metadata.annotations?.['gravitee.io/template'] === 'true';

export const apiDefinition: KindAdmission = {
  kind: 'ApiDefinition',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const api = input.object as ApiDefinition;
    const { namespace, operation } = input;
    if (operation === 'DELETE') return subscriptionGuard(lookups, 'ApiDefinition', input.object);
    if (isIngressTemplate(api)) return Promise.resolve([]);
    const { context, findings: contextFindings } = findContext(api.spec.contextRef, namespace, lookups);
    const plans = (api.spec.plans ?? []).map((p) => p.name);
    const findings = [
      ...templateFindings(api.spec, namespace, lookups),
      ...contextFindings,
      ...apiFindings('ApiDefinition', api, namespace, plans, operation, lookups),
    ];
    return withDryRun(findings, context, lookups, (client) => {
      const definition = compiled(api, namespace, lookups);
      return client.v2Apis.import(toV2Definition(definition, apiReferences(definition, objectLookup(lookups))), {
        dryRun: true,
      });
    });
  },
};
