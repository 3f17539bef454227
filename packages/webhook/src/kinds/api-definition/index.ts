import { isIngressTemplate, isHandledIngress, templateNameOf, type ApiDefinition } from '@gko/api';
import { apiReferences, toV2Definition } from '@gko/mapi';
import { apiFindings } from '../../rules/api.ts';
import { identityFindings, withStatus } from '../../rules/identity.ts';
import { findContext } from '../../rules/context.ts';
import { withDryRun } from '../../rules/dry-run.ts';
import { objectLookup } from '../../rules/lookup-adapter.ts';
import { deleteGuard, subscriptionGuard } from '../../rules/references.ts';
import type { AdmissionInput, Finding, KindAdmission, KubeObject, Lookups } from '../../rules/rule.ts';
import { compiled, templateFindings } from '../../rules/templates.ts';

/** DELETE of an Ingress template: refused while an Ingress of a handled class names it. */
function templateGuard(input: AdmissionInput, lookups: Lookups): Finding[] {
  const classes = lookups.settings.ingressClasses;
  if (!classes) return [];
  const users = lookups
    .ingresses(input.namespace)
    .filter((i) => !i.metadata?.deletionTimestamp && isHandledIngress(i, classes) && templateNameOf(i) === input.name)
    .map((object) => ({ kind: 'Ingress', object: object as KubeObject }));
  return deleteGuard(users, 'change or delete those Ingresses first');
}

export const apiDefinition: KindAdmission = {
  kind: 'ApiDefinition',
  validates: ['CREATE', 'UPDATE', 'DELETE'],
  validate(input, lookups) {
    const api = input.object as ApiDefinition;
    const { namespace, operation } = input;
    // Templates for Ingresses are not APIs of their own: they are not checked as one.
    if (isIngressTemplate(api)) return Promise.resolve(operation === 'DELETE' ? templateGuard(input, lookups) : []);
    if (operation === 'DELETE') return subscriptionGuard(lookups, 'ApiDefinition', input.object);
    const { context, findings: contextFindings } = findContext(api.spec.contextRef, namespace, lookups);
    const plans = (api.spec.plans ?? []).map((p) => p.name);
    const findings = [
      ...identityFindings('ApiDefinition', input, lookups),
      ...templateFindings(api.spec, namespace, lookups),
      ...contextFindings,
      ...apiFindings('ApiDefinition', api, namespace, plans, operation, lookups),
    ];
    return withDryRun(findings, context, lookups, (client) => {
      const definition = compiled(withStatus<typeof api>(input), namespace, lookups);
      return client.v2Apis.import(toV2Definition(definition, apiReferences(definition, objectLookup(lookups))), {
        dryRun: true,
      });
    });
  },
};
