// The request a custom resource turns into, whatever its kind: used by the contract tests (and by
// tools that want to see what would be sent).
import type {
  ApiDefinition,
  ApiV4Definition,
  Application,
  Dictionary,
  Documentation,
  Group,
  Portal,
  PortalLink,
  PortalListing,
  SharedPolicyGroup,
  Subscription,
} from '@gko/api';
import { keyHrid, objectHrid } from '../identity/hrid.ts';
import { toV2Definition } from './api-definition/index.ts';
import { toApiV4Spec } from './api-v4-definition/index.ts';
import { certificateName, toApplicationSpec, type ResolvedCertificate } from './application/index.ts';
import { toDictionarySpec } from './dictionary/index.ts';
import { toDocumentationSpec } from './documentation/index.ts';
import { toGroupSpec } from './group/index.ts';
import { toPortalSpec } from './portal/index.ts';
import { toPortalLinkSpec } from './portal-link/index.ts';
import { toPortalListingSpec } from './portal-listing/index.ts';
import type { ApiReferences } from './references.ts';
import { toSharedPolicyGroupSpec } from './shared-policy-group/index.ts';
import { toSubscriptionSpec } from './subscription/index.ts';

export interface KindRequest {
  document: 'automation' | 'management-v1';
  /** Name of the request body schema in that document. */
  schema: string;
  body: unknown;
}

export interface RequestContext {
  references: ApiReferences;
  /** Client certificates of an application, resolved from wherever they are kept. */
  certificates?: (application: Application) => ResolvedCertificate[];
}

/** Certificates written in the spec itself; references to Secrets or ConfigMaps need a cluster. */
export function inlineCertificates(application: Application): ResolvedCertificate[] {
  return (application.spec.settings.tls?.clientCertificates ?? []).flatMap((c, i) =>
    c.content
      ? [
          {
            name: certificateName(application.spec.name, i, c.name),
            content: c.content,
            ...(c.startsAt ? { startsAt: c.startsAt } : {}),
            ...(c.endsAt ? { endsAt: c.endsAt } : {}),
          },
        ]
      : [],
  );
}

export function requestFor(
  object: { kind: string } & Record<string, unknown>,
  context: RequestContext,
): KindRequest | undefined {
  switch (object.kind) {
    case 'ApiV4Definition':
      return {
        document: 'automation',
        schema: 'ApiV4Spec',
        body: toApiV4Spec(object as unknown as ApiV4Definition, context.references),
      };
    case 'ApiDefinition':
      return {
        document: 'management-v1',
        schema: 'ApiV2Definition',
        body: toV2Definition(object as unknown as ApiDefinition, context.references),
      };
    case 'Application': {
      const application = object as unknown as Application;
      return {
        document: 'automation',
        schema: 'ApplicationSpec',
        body: toApplicationSpec(application, (context.certificates ?? inlineCertificates)(application)),
      };
    }
    case 'Subscription': {
      const subscription = object as unknown as Subscription;
      const namespace = subscription.metadata.namespace ?? 'default';
      const targets = {
        applicationHrid: objectHrid({
          namespace: subscription.spec.application.namespace || namespace,
          name: subscription.spec.application.name,
        }),
        planHrid: keyHrid(subscription.spec.plan),
      };
      return { document: 'automation', schema: 'SubscriptionSpec', body: toSubscriptionSpec(subscription, targets) };
    }
    case 'SharedPolicyGroup':
      return {
        document: 'automation',
        schema: 'SharedPolicyGroupSpec',
        body: toSharedPolicyGroupSpec(object as unknown as SharedPolicyGroup),
      };
    case 'Group':
      return { document: 'automation', schema: 'GroupSpec', body: toGroupSpec(object as unknown as Group) };
    case 'Dictionary':
      return {
        document: 'automation',
        schema: 'DictionarySpec',
        body: toDictionarySpec(object as unknown as Dictionary),
      };
    case 'Portal':
      return { document: 'automation', schema: 'PortalSpec', body: toPortalSpec(object as unknown as Portal) };
    case 'PortalLink':
      return {
        document: 'automation',
        schema: 'PortalLinkSpec',
        body: toPortalLinkSpec(object as unknown as PortalLink),
      };
    case 'PortalListing':
      return {
        document: 'automation',
        schema: 'PortalListingSpec',
        body: toPortalListingSpec(object as unknown as PortalListing),
      };
    case 'Documentation':
      return {
        document: 'automation',
        schema: 'DocumentationSpec',
        body: toDocumentationSpec(object as unknown as Documentation),
      };
    default:
      return undefined;
  }
}
