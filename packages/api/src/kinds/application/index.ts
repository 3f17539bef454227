import { METADATA_FORMATS } from '../../fragments/api-common.ts';
import { members, stringList } from '../../fragments/members.ts';
import { contextRef } from '../../fragments/reference.ts';
import { apimErrors, environmentId, organizationId, processingStatus, status } from '../../fragments/status.ts';
import {
  array,
  atMostOneOf,
  boolean,
  enumeration,
  exactlyOneOf,
  immutable,
  named,
  object,
  required,
  string,
  withRules,
} from '../../schema/index.ts';
import { defineKind } from '../kind.ts';

const clientCertificate = named(
  'ClientCertificate',
  withRules(
    object('A client certificate: given here (content) or read from a Secret or ConfigMap (ref).', {
      name: string('Name of the certificate in APIM; derived from the application name when left out.'),
      content: string('The certificate, in PEM form (or base64 of it when encoded is true).'),
      encoded: boolean('Whether content is base64-encoded.'),
      startsAt: string('When the certificate starts being accepted (RFC 3339).'),
      endsAt: string('When the certificate stops being accepted (RFC 3339).'),
      ref: object('Where to read the certificate from.', {
        kind: enumeration(['secrets', 'configmaps'], 'Kind of object holding the certificate.', { default: 'secrets' }),
        name: required(string('Name of the Secret or ConfigMap.')),
        key: string('Key holding the certificate.', { default: 'tls.crt' }),
        namespace: string("Namespace of the Secret or ConfigMap. Defaults to this object's namespace."),
      }),
    }),
    exactlyOneOf(['content', 'ref'], 'set exactly one of content and ref'),
  ),
);

const settings = withRules(
  object('How the application authenticates: a simple client id, or OAuth2 / OIDC, and its TLS client certificates.', {
    app: object('A simple application, identified by a client id (for JWT and OAuth2 plans).', {
      type: required(string('Free type of the application, for example web or mobile.')),
      clientId: string('Client id, needed to subscribe to JWT and OAuth2 plans.'),
    }),
    oauth: object('An OAuth2 / OIDC client registered through APIM client registration.', {
      applicationType: required(
        immutable(
          enumeration(['BACKEND_TO_BACKEND', 'NATIVE', 'BROWSER', 'WEB'], 'Kind of OAuth2 client.'),
          'the OAuth2 application type cannot be changed',
        ),
      ),
      grantTypes: required(
        array(
          'OAuth2 grant types the client may use.',
          enumeration(
            ['authorization_code', 'client_credentials', 'refresh_token', 'password', 'implicit'],
            'A grant type.',
          ),
        ),
      ),
      redirectUris: stringList('Redirect URIs allowed for the client.', 'A redirect URI.'),
    }),
    tls: withRules(
      object('Client certificates used by the application for mTLS plans.', {
        clientCertificate: string('Deprecated: use clientCertificates. A single PEM certificate.'),
        clientCertificates: array('Client certificates of the application.', clientCertificate),
      }),
      atMostOneOf(
        ['clientCertificate', 'clientCertificates'],
        'set clientCertificates or the deprecated clientCertificate, not both',
      ),
    ),
  }),
  atMostOneOf(['app', 'oauth'], 'set app or oauth, not both'),
  {
    rule: 'has(self.oauth) == has(oldSelf.oauth)',
    message: 'an application cannot switch between simple (app) and OAuth (oauth) settings',
  },
);

export const application = defineKind({
  kind: 'Application',
  plural: 'applications',
  singular: 'application',
  shortNames: ['graviteeapplications'],
  description: 'An APIM application: the consumer side of subscriptions to API plans.',
  spec: object('The application.', {
    contextRef: required(contextRef),
    id: string(
      'Id of an existing application in APIM that this object takes over; left out, the operator computes it.',
    ),
    hrid: string(
      'Human-readable id of the application in APIM: always <namespace>-<name>; any other value is refused.',
    ),
    name: required(string('Name of the application.')),
    description: required(string('What the application is.')),
    domain: string('Domain of the application.'),
    picture: string('Picture of the application, as a data URL.'),
    pictureUrl: string('URL of the picture of the application.'),
    background: string('Background image of the application, as a data URL.'),
    groups: stringList('APIM groups (ids) whose members may manage the application.', 'A group id.'),
    members,
    notifyMembers: boolean('Whether APIM e-mails users when they become members.'),
    metadata: array(
      'Metadata of the application.',
      object('A metadata entry.', {
        name: required(string('Name of the metadata.')),
        value: string('Value.'),
        defaultValue: string('Value used when value is empty.'),
        format: enumeration(METADATA_FORMATS, 'Format of the value.'),
        hidden: boolean('Whether the metadata is hidden from subscribers.'),
      }),
    ),
    settings: required(settings),
  }),
  status: status('What the operator last observed of the application.', {
    id: string('Id of the application in APIM.'),
    organizationId,
    environmentId,
    subscriptions: { type: 'integer', description: 'Number of Subscription objects of the application.' },
    errors: apimErrors,
    processingStatus,
  }),
  printerColumns: [
    { name: 'Name', type: 'string', jsonPath: '.spec.name', description: 'Name of the application.' },
    {
      name: 'OAuth Type',
      type: 'string',
      jsonPath: '.spec.settings.oauth.applicationType',
      description: 'Kind of OAuth2 client, for OAuth applications.',
    },
  ],
});
