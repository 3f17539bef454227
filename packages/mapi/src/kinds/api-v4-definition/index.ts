export { apiV4CrossId, apiV4PageCrossId, apiV4PageId, apiV4PlanId } from './ids.ts';
export { apiV4Status } from './from-response.ts';
export { apiV4Request } from './request.ts';
export {
  flowStep,
  SHARED_POLICY_GROUP_POLICY,
  toApiV4Spec,
  type ApiV4RequestOptions,
  type ConnectPhaseName,
  usesConnectPhase,
} from './to-request.ts';
