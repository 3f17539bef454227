export { apiV4Status } from './from-response.ts';
export { SHARED_POLICY_GROUP_POLICY, toApiV4Spec } from './to-request.ts';
