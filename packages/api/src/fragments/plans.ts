import {
  array,
  boolean,
  enumeration,
  freeForm,
  integer,
  map,
  named,
  object,
  required,
  string,
  withDefault,
  withRules,
} from '../schema/index.ts';
import { HTTP_METHODS, v2Flow, v4Flow } from './flows.ts';

const planStatus = enumeration(
  ['PUBLISHED', 'DEPRECATED', 'STAGING'],
  'Publication of the plan: STAGING plans cannot be subscribed to, DEPRECATED plans accept no new subscription.',
  { default: 'PUBLISHED' },
);
const planType = enumeration(['API', 'CATALOG'], 'Type of the plan.', { default: 'API' });
const planValidation = enumeration(
  ['AUTO', 'MANUAL'],
  'Whether subscriptions are accepted automatically or wait for an API publisher.',
  { default: 'AUTO' },
);
const planId = string('Id of the plan in APIM; computed by the operator when absent.');
const planCrossId = string('Id that identifies the plan across environments (promotion).');
const characteristics = array('Characteristics shown to consumers in the portal.', string('A characteristic.'));
const commentRequired = boolean('Whether consumers must leave a comment when they subscribe.');
const order = integer('Position of the plan among the plans of the API.');
const port = { minimum: 1, maximum: 65535 };

/** A plan of a v2 API (an element of the plans list, identified by its name). */
export const v2Plan = named(
  'V2Plan',
  object('How consumers may access the API: security, publication and plan-specific flows.', {
    id: planId,
    crossId: planCrossId,
    api: string('Id of the API the plan belongs to; computed by the operator.'),
    name: required(string('Name of the plan; subscriptions refer to v2 plans by this name.')),
    description: required(string('What the plan offers.')),
    security: required(string('Security of the plan: KEY_LESS, API_KEY, JWT, OAUTH2 or MTLS.')),
    securityDefinition: string('Configuration of the security type, as a JSON string.'),
    status: planStatus,
    type: planType,
    validation: planValidation,
    tags: array('Sharding tags the plan is restricted to.', string('A sharding tag.'), { default: [] }),
    characteristics,
    excluded_groups: array('APIM groups whose members cannot see the plan.', string('A group id.'), { default: [] }),
    comment_required: commentRequired,
    order,
    selection_rule: string('Expression Language condition used to pick this plan among several of the same security.'),
    paths: map(
      'Legacy path-based policies (before flows): keys are paths, values the rules applied to them.',
      array(
        'Rules applied to the path.',
        object('A policy applied to some methods of the path.', {
          description: string('What the rule does.'),
          enabled: boolean('Whether the rule applies.'),
          methods: array('HTTP methods the rule applies to.', enumeration(HTTP_METHODS, 'An HTTP method.')),
          policy: object('The policy of the rule.', {
            name: string('Id of the policy plugin.'),
            configuration: freeForm('Configuration of the policy.'),
          }),
        }),
      ),
    ),
    flows: withDefault(array('Flows run only for consumers of this plan.', v2Flow), []),
  }),
);

/** A plan of a v4 API (a value of the plans map; the key identifies the plan). */
export const v4Plan = named(
  'V4Plan',
  withRules(
    object('How consumers may access the API: security, publication and plan-specific flows.', {
      id: planId,
      crossId: planCrossId,
      hrid: string(
        'Human-readable id of the plan in APIM: the map key with each space and dot made a dash; any other value is refused.',
      ),
      name: required(string('Display name of the plan.')),
      description: string('What the plan offers.'),
      security: object('Security of the plan.', {
        type: required(string('Security type: KEY_LESS, API_KEY, JWT, OAUTH2 or MTLS.')),
        configuration: freeForm('Configuration of the security type, for example the JWT signature and key resolver.'),
      }),
      mode: string('STANDARD for plans consumers call, PUSH for plans that deliver messages to consumers.', {
        default: 'STANDARD',
      }),
      status: planStatus,
      type: planType,
      validation: planValidation,
      definitionVersion: string('Definition version of the plan.', { default: 'V4' }),
      selectionRule: string('Expression Language condition used to pick this plan among several of the same security.'),
      flows: withDefault(array('Flows run only for consumers of this plan.', v4Flow), []),
      excludedGroups: array('APIM groups whose members cannot see the plan.', string('A group id.'), { default: [] }),
      tags: array('Sharding tags the plan is restricted to.', string('A sharding tag.'), { default: [] }),
      characteristics,
      generalConditions: string('Key of the page (in pages) holding the general conditions consumers must accept.'),
      generalConditionsHrid: string('Human-readable id of the general conditions page; computed by the operator.'),
      order,
      comment_required: commentRequired,
      bootstrapPort: integer('Native Kafka APIs: port of the bootstrap server of this plan.', port),
      brokerRangeStart: integer('Native Kafka APIs: first port of the range given to brokers.', port),
      brokerRangeEnd: integer('Native Kafka APIs: last port of the range given to brokers.', port),
    }),
    {
      rule: '!has(self.bootstrapPort) || (has(self.brokerRangeStart) && has(self.brokerRangeEnd))',
      message: 'a plan with a bootstrapPort also needs brokerRangeStart and brokerRangeEnd',
      fieldPath: '.bootstrapPort',
      reason: 'FieldValueRequired',
    },
    {
      rule: '!has(self.brokerRangeStart) || !has(self.brokerRangeEnd) || self.brokerRangeStart < self.brokerRangeEnd',
      message: 'brokerRangeStart must be lower than brokerRangeEnd',
      fieldPath: '.brokerRangeStart',
    },
    {
      rule:
        '!has(self.bootstrapPort) || !has(self.brokerRangeStart) || !has(self.brokerRangeEnd) || ' +
        'self.bootstrapPort < self.brokerRangeStart || self.bootstrapPort > self.brokerRangeEnd',
      message: 'bootstrapPort must lie outside the broker port range',
      fieldPath: '.bootstrapPort',
    },
  ),
);
