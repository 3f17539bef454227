import type { Application } from '@gko/api';
import type * as A from '../../generated/automation.ts';
import { compact } from '../../compact.ts';
import { applicationIds } from '../../identity/apim-ids.ts';
import { members } from '../shared.ts';

/** A client certificate read from the spec, a Secret or a ConfigMap, as PEM. */
export interface ResolvedCertificate {
  name: string;
  content: string;
  startsAt?: string;
  endsAt?: string;
}

/** The name APIM knows a certificate by: its own, or the application's name and its position. */
export function certificateName(applicationName: string, index: number, name?: string): string {
  return name || `${applicationName}-${index}`;
}

const OAUTH_TYPES: Record<string, A.ApplicationOAuthClientSettings['applicationType']> = {
  BACKEND_TO_BACKEND: 'backend_to_backend',
  NATIVE: 'native',
  BROWSER: 'browser',
  WEB: 'web',
};

/** An Application as the Automation API takes it. Certificates come resolved (see ResolvedCertificate). */
export function toApplicationSpec(
  application: Application,
  certificates: ResolvedCertificate[] = [],
): A.ApplicationSpec {
  const spec = application.spec;
  const { app, oauth, tls } = spec.settings;
  return compact({
    hrid: applicationIds(application).hrid,
    name: spec.name,
    description: spec.description,
    domain: spec.domain,
    groups: spec.groups,
    pictureUrl: spec.pictureUrl,
    background: spec.background,
    notifyMembers: spec.notifyMembers,
    members: members(spec.members),
    metadata: spec.metadata?.map((m) =>
      compact({
        name: m.name,
        format: m.format ?? 'STRING',
        value: m.value || undefined,
        defaultValue: m.defaultValue || undefined,
      }),
    ),
    settings: compact({
      app: app ? compact({ type: app.type, clientId: app.clientId }) : undefined,
      oauth: oauth
        ? {
            applicationType: OAUTH_TYPES[oauth.applicationType]!,
            grantTypes: oauth.grantTypes,
            redirectUris: oauth.redirectUris ?? [],
          }
        : undefined,
      tls:
        tls || certificates.length > 0
          ? compact({
              clientCertificate: certificates.length === 0 ? tls?.clientCertificate : undefined,
              clientCertificates: certificates.length > 0 ? certificates.map((c) => compact({ ...c })) : undefined,
            })
          : undefined,
    }),
  });
}
