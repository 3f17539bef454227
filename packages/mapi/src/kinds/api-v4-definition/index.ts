export { apiV4Status } from './from-response.ts';
export { flowStep, SHARED_POLICY_GROUP_POLICY, toApiV4Spec } from './to-request.ts';
