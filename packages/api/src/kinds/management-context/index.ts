import { reference } from '../../fragments/reference.ts';
import { status } from '../../fragments/status.ts';
import { exactlyOneOf, object, required, string, withRules, type ValidationRule } from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

/** Unless it is a Gravitee Cloud context, whose token supplies them, a context needs these fields. */
const requiredUnlessCloud: ValidationRule[] = ['baseUrl', 'organizationId', 'environmentId', 'auth'].map((field) => ({
  rule: `has(self.cloud) || has(self.${field})`,
  message: `${field} is required unless cloud is set`,
  fieldPath: `.${field}`,
  reason: 'FieldValueRequired',
}));

const spec = withRules(
  object('Where an APIM installation answers, and how to authenticate to it.', {
    baseUrl: string(
      'Root URL of the APIM Management API, for example https://apim.example.com. Derived from the token for Gravitee Cloud.',
    ),
    path: string(
      'Path that replaces both /management and /automation under baseUrl, for an APIM published behind a reverse proxy.',
    ),
    organizationId: string(
      'Id of the APIM organization, for example DEFAULT. Derived from the token for Gravitee Cloud.',
    ),
    environmentId: string(
      'Id of the APIM environment, for example DEFAULT. Derived from the token for Gravitee Cloud.',
    ),
    auth: withRules(
      object('How the operator authenticates to APIM. A bearer token takes precedence over credentials.', {
        bearerToken: string('A personal access token of an APIM user.'),
        credentials: object('User name and password of an APIM user.', {
          username: required(string('User name.')),
          password: required(string('Password.')),
        }),
        secretRef: reference('a Secret holding either the key bearerToken, or the keys username and password'),
      }),
      {
        rule: 'has(self.bearerToken) || has(self.credentials) || has(self.secretRef)',
        message: 'set bearerToken, credentials or secretRef',
        reason: 'FieldValueRequired',
      },
    ),
    cloud: withRules(
      object('Gravitee Cloud: a cloud token, from which the URL, organization and environment are derived.', {
        token: string('The Gravitee Cloud token.'),
        secretRef: reference('a Secret holding the Gravitee Cloud token under the key cloudToken'),
      }),
      exactlyOneOf(['token', 'secretRef'], 'set exactly one of token and secretRef'),
    ),
  }),
  ...requiredUnlessCloud,
);

export const managementContext = defineKind({
  kind: 'ManagementContext',
  plural: 'managementcontexts',
  singular: 'managementcontext',
  shortNames: ['graviteecontexts'],
  description:
    'A Gravitee APIM installation, organization and environment, with the credentials used to manage it. APIs, applications and the other kinds refer to one through contextRef.',
  spec,
  status: status('What the operator last observed of the context.'),
  printerColumns: [
    {
      name: 'Base URL',
      type: 'string',
      jsonPath: '.spec.baseUrl',
      description: 'Root URL of the APIM Management API.',
    },
    {
      name: 'Organization',
      type: 'string',
      jsonPath: '.spec.organizationId',
      description: 'APIM organization.',
      priority: 1,
    },
    {
      name: 'Environment',
      type: 'string',
      jsonPath: '.spec.environmentId',
      description: 'APIM environment.',
      priority: 1,
    },
  ],
});
