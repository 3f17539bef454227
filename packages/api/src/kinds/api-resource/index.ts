import { status } from '../../fragments/status.ts';
import { boolean, freeForm, object, required, string } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

export const apiResource = defineKind({
  kind: 'ApiResource',
  plural: 'apiresources',
  singular: 'apiresource',
  shortNames: ['graviteeresources'],
  description:
    'A resource (cache, OAuth2 server, authentication provider...) defined once and used by several APIs through resources[].ref. APIs that use it are updated when it changes.',
  spec: object('The resource.', {
    name: required(string('Name policies use to refer to the resource.')),
    type: required(
      string('Resource plugin, for example cache, cache-redis, oauth2-am-resource or auth-provider-ldap-resource.'),
    ),
    configuration: required(freeForm('Configuration of the resource plugin.')),
    enabled: boolean('Whether the resource is available to the APIs that use it.', { default: true }),
  }),
  status: status('What the operator last observed of the resource.'),
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name', description: 'Name of the resource.' },
    { name: 'Type', type: 'string', jsonPath: '.spec.type', description: 'Resource plugin.' },
  ],
});
