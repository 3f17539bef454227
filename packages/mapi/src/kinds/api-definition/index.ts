export { apiV2Status } from './from-response.ts';
export { toV2Definition, v2ApiIds, type V2Ids } from './to-request.ts';
