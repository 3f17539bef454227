import { contextRef } from '../../fragments/reference.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import { policyStep } from '../../fragments/steps.ts';
import { array, enumeration, immutable, object, required, string, withRules } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

export const SPG_PHASES = ['REQUEST', 'RESPONSE', 'PUBLISH', 'SUBSCRIBE'] as const;

const spec = withRules(
  object('The shared policy group.', {
    contextRef: required(contextRef),
    name: required(string('Name of the group of policies.')),
    description: string('What the policies do.'),
    prerequisiteMessage: string(
      'Shown to API publishers who add the group to a flow: what the flow must provide first.',
    ),
    apiType: required(
      immutable(
        enumeration(['PROXY', 'MESSAGE'], 'Type of the APIs the group can be used in.'),
        'apiType cannot be changed',
      ),
    ),
    phase: required(immutable(enumeration(SPG_PHASES, 'Flow phase the group runs in.'), 'phase cannot be changed')),
    crossId: immutable(
      string('Id that identifies the group across environments (promotion); computed when absent.'),
      'crossId cannot be changed once set',
    ),
    hrid: string('Human-readable id of the group in APIM: always <namespace>-<name>; any other value is refused.'),
    steps: array('Policies run, in order.', policyStep),
  }),
  {
    rule: "self.apiType != 'PROXY' || self.phase == 'REQUEST' || self.phase == 'RESPONSE'",
    message: 'a PROXY shared policy group runs in the REQUEST or RESPONSE phase',
    fieldPath: '.phase',
  },
);

export const sharedPolicyGroup = defineKind({
  kind: 'SharedPolicyGroup',
  plural: 'sharedpolicygroups',
  singular: 'sharedpolicygroup',
  shortNames: ['graviteespg'],
  description:
    'An ordered group of policies defined once and run in the flows of v4 APIs that refer to it (flows[].<phase>[].sharedPolicyGroupRef).',
  spec,
  status: status('What the operator last observed of the shared policy group.', {
    id: string('Id of the group in APIM.'),
    crossId: string('Id that identifies the group across environments.'),
    organizationId,
    environmentId,
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name', description: 'Name of the group.' },
    { name: 'API Type', type: 'string', jsonPath: '.spec.apiType', description: 'Type of the APIs it fits.' },
    { name: 'Phase', type: 'string', jsonPath: '.spec.phase', description: 'Flow phase it runs in.' },
  ],
});
