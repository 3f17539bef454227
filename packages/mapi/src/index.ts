export {
  createApimClient,
  type ApimClient,
  type AutomationResource,
  type ClientOptions,
  type IdOptions,
  type SubscriptionIdOptions,
  type UpsertOptions,
} from './client.ts';
export {
  CloudTokenError,
  cloudLocation,
  parseCloudToken,
  type CloudLocation,
  type CloudTokenClaims,
} from './cloud-token.ts';
export { ApimError, type ApimErrorDetails, type ApimErrorKind } from './http/errors.ts';
export { DEFAULT_TRANSPORT, type AttemptRecord, type ProxyOptions, type TransportOptions } from './http/transport.ts';
export { currentApimDeadline, withApimDeadline, type ApimDeadline } from './http/deadline.ts';
export {
  ContextError,
  cloudToken,
  resolveTarget,
  secretsOf,
  type ApimCredentials,
  type ApimTarget,
  type ContextObject,
  type SecretReader,
} from './target.ts';
export { apimRoots, environmentPath, type ApimLocation, type ApimRoots } from './urls.ts';
export type * as Automation from './generated/automation.ts';
export type * as ManagementV1 from './generated/management-v1.ts';
export type * as ManagementV2 from './generated/management-v2.ts';
export * from './kinds/index.ts';
export { compact } from './compact.ts';
export { keyHrid, objectHrid } from './identity/hrid.ts';
export { hashUuid } from './identity/uuid.ts';
export {
  IDENTITY_FAMILIES,
  IDENTITY_INDEX,
  IdentityConflictError,
  assertFreeToTakeOver,
  checkTakeOver,
  claimLookup,
  environmentKey,
  identityClaims,
  identityConflicts,
  identityIndexValues,
  identityProblems,
  type ClaimLookup,
  type ClaimReader,
  type ClaimingObject,
  type IdentityClaim,
  type IdentityProblem,
} from './identity/claims.ts';
export {
  AUTOMATION_MANAGED,
  apiV4Ids,
  applicationIds,
  automationManaged,
  dictionaryIds,
  groupIds,
  hridOnlyIds,
  idFlags,
  localApiV4Id,
  sharedPolicyGroupIds,
  subscriptionIds,
  type ApimIds,
  type IdentifiedObject,
} from './identity/apim-ids.ts';
export {
  contextPathKey,
  formatContextPath,
  normalisePath,
  v2ContextPaths,
  v4ContextPaths,
  type ContextPath,
} from './context-paths.ts';
export { ApimClientPool } from './client-pool.ts';
