// Every kind the webhook admits, and how. The same list serves requests and generates the webhook
// configurations, so what is registered is exactly what is served.
import { KINDS, type KindName } from '@gko/api';
import { apiDefinition } from './kinds/api-definition/index.ts';
import { apiResource } from './kinds/api-resource/index.ts';
import { apiV4Definition } from './kinds/api-v4-definition/index.ts';
import { application } from './kinds/application/index.ts';
import { dictionary } from './kinds/dictionary/index.ts';
import { documentation } from './kinds/documentation/index.ts';
import { group } from './kinds/group/index.ts';
import { managementContext } from './kinds/management-context/index.ts';
import { notification } from './kinds/notification/index.ts';
import { portal } from './kinds/portal/index.ts';
import { portalLink } from './kinds/portal-link/index.ts';
import { portalListing } from './kinds/portal-listing/index.ts';
import { sharedPolicyGroup } from './kinds/shared-policy-group/index.ts';
import { subscription } from './kinds/subscription/index.ts';
import type { KindAdmission } from './rules/rule.ts';

// A record by kind name, so that a kind added to @gko/api without its admission does not compile.
const BY_KIND: Record<KindName, KindAdmission> = {
  ManagementContext: managementContext,
  ApiDefinition: apiDefinition,
  ApiV4Definition: apiV4Definition,
  ApiResource: apiResource,
  Application: application,
  Subscription: subscription,
  SharedPolicyGroup: sharedPolicyGroup,
  Group: group,
  Notification: notification,
  Dictionary: dictionary,
  Portal: portal,
  PortalLink: portalLink,
  PortalListing: portalListing,
  Documentation: documentation,
};

/** In the order of @gko/api's registry. */
export const ADMISSIONS: readonly KindAdmission[] = KINDS.map((k) => BY_KIND[k.kind]);

export function admissionFor(kind: string): KindAdmission | undefined {
  return Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind as KindName] : undefined;
}
