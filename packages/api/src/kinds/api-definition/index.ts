import { apiCommonSpec, apiStatus, responseTemplates } from '../../fragments/api-common.ts';
import { v2Flows } from '../../fragments/flows.ts';
import { v2Pages } from '../../fragments/pages.ts';
import { v2Plan } from '../../fragments/plans.ts';
import {
  array,
  boolean,
  enumeration,
  integer,
  object,
  required,
  string,
  withDefault,
  withRules,
} from '../../schema/index.ts';
import { defineKind } from '../kind.ts';
import { apiHealthCheck, discoveryService, dynamicPropertyService, proxy } from './proxy.ts';

const spec = withRules(
  object('The v2 API definition.', {
    ...apiCommonSpec(),
    description: required(string('What the API does.')),
    local: boolean(
      'true: the operator writes the definition to a ConfigMap read by the gateways; false: APIM is the source gateways deploy from (contextRef is then required).',
      { default: false },
    ),
    gravitee: string('Definition version.', { default: '2.0.0' }),
    lifecycle_state: enumeration(
      ['CREATED', 'PUBLISHED', 'UNPUBLISHED', 'DEPRECATED', 'ARCHIVED'],
      'Whether the API is listed in the portal.',
      { default: 'CREATED' },
    ),
    execution_mode: enumeration(['v3', 'v4-emulation-engine'], 'Gateway engine that runs the API.', {
      default: 'v4-emulation-engine',
    }),
    flow_mode: enumeration(
      ['DEFAULT', 'BEST_MATCH'],
      'DEFAULT runs every matching flow; BEST_MATCH only the best one.',
      {
        default: 'DEFAULT',
      },
    ),
    definition_context: object('Where the definition comes from and who manages it; set by the operator.', {
      origin: string('Origin of the definition.', { default: 'kubernetes' }),
      mode: string('Management mode of the definition.', { default: 'fully_managed' }),
      syncFrom: string('Where gateways read the definition from: kubernetes or management.', { default: 'kubernetes' }),
    }),
    proxy,
    services: object('Services run for the API.', {
      discovery: discoveryService,
      'health-check': apiHealthCheck,
      'dynamic-property': dynamicPropertyService,
    }),
    flows: v2Flows,
    plans: withDefault(array('Plans of the API. Subscriptions refer to a plan by its name.', v2Plan), []),
    pages: v2Pages,
    path_mappings: array('Path patterns used to group analytics, for example /orders/:id.', string('A path mapping.')),
    response_templates: responseTemplates,
    deployedAt: integer('When the API was last deployed, in milliseconds since the epoch; set by the operator.', {
      format: 'int64',
    }),
    consoleNotificationConfiguration: object(
      'Console notifications of the API; set by the operator from notificationsRefs.',
      {
        config_type: required(string('Type of configuration.')),
        groups: required(array('Groups notified.', string('A group id.'))),
        hooks: required(array('Events notified.', string('An event.'))),
        origin: required(string('Origin of the configuration.')),
        referenceId: string('Id of the API.'),
        referenceType: string('What referenceId points to.'),
        user: string('User the configuration belongs to.'),
      },
    ),
  }),
  {
    rule: 'has(self.contextRef) || self.local',
    message: 'an API without contextRef is only deployed through ConfigMaps: set local to true, or set contextRef',
    fieldPath: '.local',
  },
);

export const apiDefinition = defineKind({
  kind: 'ApiDefinition',
  plural: 'apidefinitions',
  singular: 'apidefinition',
  shortNames: ['graviteeapis'],
  description:
    'A v2 API definition (gateway definition version 2.0.0): proxy entrypoints and endpoints, flows, plans and documentation. New APIs should use ApiV4Definition.',
  spec,
  status: apiStatus(),
  printerColumns: [
    {
      name: 'Entrypoint',
      type: 'string',
      jsonPath: '.spec.proxy.virtual_hosts[*].path',
      description: 'Context paths.',
    },
    {
      name: 'Endpoint',
      type: 'string',
      jsonPath: '.spec.proxy.groups[*].endpoints[*].target',
      description: 'Backend URLs.',
    },
    { name: 'Version', type: 'string', jsonPath: '.spec.version', description: 'Version of the API.' },
    { name: 'State', type: 'string', jsonPath: '.spec.state', description: 'STARTED or STOPPED.', priority: 1 },
  ],
});
