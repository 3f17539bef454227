import { contextRef } from '../../fragments/reference.ts';
import { apimErrors, environmentId, organizationId, status } from '../../fragments/status.ts';
import { array, boolean, enumeration, integer, map, object, required, string, withRules } from '../../schema/index.ts';
import { HTTP_METHODS } from '../../fragments/flows.ts';
import { defineKind } from '../kind.ts';

const spec = withRules(
  object('The dictionary.', {
    contextRef: required(contextRef),
    name: required(string('Name of the dictionary.')),
    description: string('What the dictionary holds.'),
    type: required(
      enumeration(
        ['MANUAL', 'DYNAMIC'],
        'MANUAL: the properties are listed here; DYNAMIC: they are fetched over HTTP.',
      ),
    ),
    deployed: required(boolean('Whether the dictionary is deployed to the gateways.')),
    manual: object('The properties of a MANUAL dictionary.', {
      properties: required(map('Properties, by key.', string('Value.'))),
    }),
    dynamic: object('How a DYNAMIC dictionary fetches its properties.', {
      provider: required(
        object('The HTTP call that fetches the properties.', {
          type: required(enumeration(['HTTP'], 'Kind of provider.')),
          url: required(string('URL called.')),
          method: required(
            enumeration(
              HTTP_METHODS.filter((m) => m !== 'OTHER'),
              'HTTP method.',
            ),
          ),
          specification: required(string('JOLT specification turning the response into a list of key/value pairs.')),
          headers: array(
            'Headers sent with the request.',
            object('A header.', { name: required(string('Header name.')), value: required(string('Header value.')) }),
          ),
          body: string('Body sent with the request.'),
          useSystemProxy: boolean("Whether the call goes through APIM's system proxy."),
        }),
      ),
      trigger: required(
        object('How often the properties are fetched.', {
          rate: required(integer('Number of units between two fetches.', { format: 'int64' })),
          unit: required(
            enumeration(['MICROSECONDS', 'MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS'], 'Unit of the rate.'),
          ),
        }),
      ),
    }),
  }),
  {
    rule: "self.type != 'MANUAL' || (has(self.manual) && !has(self.dynamic))",
    message: 'a MANUAL dictionary needs manual and no dynamic',
    fieldPath: '.manual',
  },
  {
    rule: "self.type != 'DYNAMIC' || (has(self.dynamic) && !has(self.manual))",
    message: 'a DYNAMIC dictionary needs dynamic and no manual',
    fieldPath: '.dynamic',
  },
);

export const dictionary = defineKind({
  kind: 'Dictionary',
  plural: 'dictionaries',
  singular: 'dictionary',
  shortNames: ['graviteedictionaries'],
  description:
    'A set of key/value properties available to the policies of every API of an environment, as {#dictionaries[name][key]}.',
  spec,
  status: status('What the operator last observed of the dictionary.', {
    id: string('Id of the dictionary in APIM.'),
    organizationId,
    environmentId,
    errors: apimErrors,
  }),
  printerColumns: [
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'MANUAL or DYNAMIC.' },
    { name: 'Deployed', type: 'boolean', jsonPath: '.spec.deployed', description: 'Whether it is deployed.' },
  ],
});
