export {
  NO_REFERENCES,
  UnresolvedReferenceError,
  type ApiReferences,
  type SharedPolicyGroupIds,
} from './references.ts';
export { apiReferences, type DataLookup, type ObjectLookup } from './lookup.ts';
export {
  apiV4CrossId,
  apiV4PageCrossId,
  apiV4PageId,
  apiV4PlanId,
  apiV4Request,
  apiV4Status,
  flowStep,
  SHARED_POLICY_GROUP_POLICY,
  toApiV4Spec,
  type ApiV4RequestOptions,
  type ConnectPhaseName,
  usesConnectPhase,
} from './api-v4-definition/index.ts';
export {
  apiV2Status,
  toV2Definition,
  v2ApiIds,
  v2PageCrossId,
  v2PageId,
  v2PlanCrossId,
  v2PlanId,
  type V2Ids,
} from './api-definition/index.ts';
export {
  applicationStatus,
  certificateName,
  resolveCertificates,
  toApplicationSpec,
  type CertificateProblem,
  type ResolvedCertificate,
  type ResolvedCertificates,
} from './application/index.ts';
export { subscriptionStatus, toSubscriptionSpec, type SubscriptionTargets } from './subscription/index.ts';
export { sharedPolicyGroupStatus, toSharedPolicyGroupSpec } from './shared-policy-group/index.ts';
export { groupStatus, toGroupSpec } from './group/index.ts';
export { dictionaryStatus, toDictionarySpec } from './dictionary/index.ts';
export { toPortalSpec } from './portal/index.ts';
export { toPortalLinkSpec } from './portal-link/index.ts';
export { toPortalListingSpec, type ApiHridOf } from './portal-listing/index.ts';
export { toDocumentationSpec } from './documentation/index.ts';
export { baseStatus } from './status.ts';
export { inlineCertificates, requestFor, type KindRequest, type RequestContext } from './requests.ts';
export { resources as apiResources } from './shared.ts';
