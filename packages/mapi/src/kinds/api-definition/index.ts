export { apiV2Status } from './from-response.ts';
export { v2ApiIds, v2PageCrossId, v2PageId, v2PlanCrossId, v2PlanId, type V2Ids } from './ids.ts';
export { toV2Definition } from './to-request.ts';
