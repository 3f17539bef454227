// Every kind the operator serves, in a stable order. CRDs, types, validators, the webhook
// configuration and the controllers are all driven from this list.
import { apiDefinition } from './kinds/api-definition/index.ts';
import { apiResource } from './kinds/api-resource/index.ts';
import { apiV4Definition } from './kinds/api-v4-definition/index.ts';
import { application } from './kinds/application/index.ts';
import { dictionary } from './kinds/dictionary/index.ts';
import { group } from './kinds/group/index.ts';
import type { KindDefinition } from './kinds/kind.ts';
import { managementContext } from './kinds/management-context/index.ts';
import { notification } from './kinds/notification/index.ts';
import { documentation } from './kinds/documentation/index.ts';
import { portal } from './kinds/portal/index.ts';
import { portalLink } from './kinds/portal-link/index.ts';
import { portalListing } from './kinds/portal-listing/index.ts';
import { sharedPolicyGroup } from './kinds/shared-policy-group/index.ts';
import { subscription } from './kinds/subscription/index.ts';

export const KINDS = [
  managementContext,
  apiDefinition,
  apiV4Definition,
  apiResource,
  application,
  subscription,
  sharedPolicyGroup,
  group,
  notification,
  dictionary,
  portal,
  portalLink,
  portalListing,
  documentation,
] as const satisfies readonly KindDefinition[];

export type KindName = (typeof KINDS)[number]['kind'];

export function kindDefinition(kind: string): KindDefinition | undefined {
  return KINDS.find((k): k is (typeof KINDS)[number] => k.kind === kind);
}
