export { DEFAULT_RETRY_POLICY, delayBeforeNextAttempt, type Outcome, type RetryPolicy } from './reconcile/result.ts';
export {
  keyString,
  parseKey,
  type CacheReader,
  type ControllerSettings,
  type ObjectKey,
  type ReconcileContext,
  type Reconciler,
} from './reconcile/contract.ts';
export { Manager, type LeaderElectionSettings, type ManagerOptions } from './runtime/manager.ts';
export { registerReconcilers, RECONCILED_KINDS, type ReconcilerOptions } from './kinds/index.ts';
export type { IngressSettings } from './kinds/ingress/index.ts';
export { LOCAL_MODE_LABELS, isLocalModeConfigMap } from './local-mode/configmap.ts';
export { apiV4LocalConfigMap } from './kinds/api-v4-definition/local-configmap.ts';
export { apiV2LocalConfigMap } from './kinds/api-definition/local-configmap.ts';
export { controllerRbacRules, ingressControllerRbacRules, type PolicyRule } from './rbac.ts';
export {
  previewChanges,
  PREVIEWED_KINDS,
  type ObjectPreview,
  type PreviewAction,
  type PreviewObject,
  type PreviewOptions,
} from './preview/preview.ts';
