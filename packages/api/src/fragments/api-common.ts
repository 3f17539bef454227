// What v2 and v4 API definitions have in common.
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
  type Schema,
} from '../schema/index.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from './status.ts';
import { members, notifyMembers, stringList } from './members.ts';
import { contextRef, reference } from './reference.ts';

export const METADATA_FORMATS = ['STRING', 'NUMERIC', 'BOOLEAN', 'DATE', 'MAIL', 'URL'] as const;

export const apiMetadata = withDefault(
  array(
    'Metadata of the API, available to policies and templates as {#api.metadata[key]}.',
    named(
      'ApiMetadata',
      object('A metadata entry.', {
        key: required(string('Key used to read the metadata.')),
        name: required(string('Display name.')),
        format: required(enumeration(METADATA_FORMATS, 'Format of the value.')),
        value: string('Value.'),
        defaultValue: string('Value used when value is empty.'),
      }),
    ),
  ),
  [],
);

export const apiProperties = withDefault(
  array(
    'Properties of the API, available to policies as {#api.properties[key]}.',
    named(
      'ApiProperty',
      object('A property.', {
        key: string('Key used to read the property.'),
        value: string('Value.'),
        encrypted: boolean('Whether the value is stored encrypted.'),
        encryptable: boolean('Whether APIM should encrypt the value.'),
        dynamic: boolean('Whether the value is maintained by the dynamic properties service.'),
      }),
    ),
  ),
  [],
);

export const apiResources = withDefault(
  array(
    'Resources used by the policies of the API (caches, OAuth2 servers, authentication providers): defined here, or a reference to an ApiResource.',
    named(
      'ApiResourceEntry',
      withRules(
        object('A resource: either name, type and configuration, or ref.', {
          name: string('Name policies use to refer to the resource.'),
          type: string('Resource plugin, for example cache, cache-redis or oauth2-am-resource.'),
          enabled: boolean('Whether the resource is available.', { default: true }),
          configuration: freeForm('Configuration of the resource plugin.'),
          ref: reference('an ApiResource holding the resource'),
        }),
        {
          rule: '!has(self.ref) || (!has(self.type) && !has(self.configuration))',
          message: 'a resource is either defined here (name, type, configuration) or referenced (ref), not both',
        },
        {
          rule: 'has(self.ref) || (has(self.name) && has(self.type))',
          message: 'a resource defined here needs a name and a type',
        },
      ),
    ),
  ),
  [],
);

export const responseTemplates = map(
  'Responses the gateway sends instead of its defaults, per error key (for example RATE_LIMIT_TOO_MANY_REQUESTS).',
  map(
    'Templates of the error key, per media type (or * for any).',
    named(
      'ResponseTemplate',
      object('A response.', {
        status: integer('HTTP status code.'),
        headers: map('Response headers.', string('Header value.')),
        body: string('Response body.'),
        propagateErrorKeyToLogs: boolean('Whether the error key is written to the request logs.'),
      }),
    ),
  ),
);

/** Fields every API definition has, whatever its definition version. */
export function apiCommonSpec(): Record<string, Schema> {
  return {
    id: string(
      'Id of an existing API in APIM that this object takes over (an API exported from APIM, or made before the operator); left out, the operator computes it.',
    ),
    crossId: string('Id that identifies the API across environments (promotion); computed when absent.'),
    name: required(string('Name of the API, as shown in the console and the portal.')),
    version: required(string('Version of the API, as shown to consumers (for example 1.0).')),
    contextRef,
    state: enumeration(['STARTED', 'STOPPED'], 'Whether gateways serve the API.', { default: 'STARTED' }),
    visibility: enumeration(['PUBLIC', 'PRIVATE'], 'Who may see the API in the portal.', { default: 'PRIVATE' }),
    members,
    notifyMembers,
    groups: stringList('APIM groups (names or ids) whose members may access the API.', 'A group.', true),
    groupRefs: withDefault(array('Group objects whose members may access the API.', reference('a Group')), []),
    categories: stringList('Portal categories (keys or ids) the API is listed in.', 'A category.', true),
    labels: stringList('Free labels shown in the portal.', 'A label.', true),
    tags: array('Sharding tags: only gateways configured with one of them deploy the API.', string('A sharding tag.')),
    properties: apiProperties,
    metadata: apiMetadata,
    resources: apiResources,
    notificationsRefs: withDefault(
      array('Notification objects that configure which events notify which groups.', reference('a Notification')),
      [],
    ),
  };
}

export function apiStatus(): Schema {
  return status('What the operator last observed of the API.', {
    id: string('Id of the API in APIM.'),
    crossId: string('Id that identifies the API across environments.'),
    organizationId,
    environmentId,
    state: enumeration(['STARTED', 'STOPPED'], 'Whether the API is deployed and started.'),
    plans: map('Ids of the plans in APIM, by plan key.', string('Id of the plan.')),
    subscriptions: integer('Number of Subscription objects to the API.'),
    adoptedConfigMap: string(
      "resourceVersion of the gateway ConfigMap taken over as upstream's operator wrote it; this operator writes its own at the API's next change.",
    ),
    errors: apimErrors,
    processingStatus,
  });
}
