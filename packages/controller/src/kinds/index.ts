// The reconciler of each kind the controller synchronises.
import type { Reconciler } from '../reconcile/contract.ts';
import { reconcileApiDefinition } from './api-definition/reconcile.ts';
import { reconcileApiResource } from './api-resource/reconcile.ts';
import { reconcileApiV4Definition } from './api-v4-definition/reconcile.ts';
import { reconcileManagementContext } from './management-context/reconcile.ts';

const RECONCILERS: Record<string, Reconciler> = {
  ManagementContext: reconcileManagementContext,
  ApiResource: reconcileApiResource,
  ApiDefinition: reconcileApiDefinition,
  ApiV4Definition: reconcileApiV4Definition,
};

export const RECONCILED_KINDS = Object.keys(RECONCILERS);

export function registerReconcilers(manager: { register(kind: string, reconcile: Reconciler): void }): void {
  for (const [kind, reconcile] of Object.entries(RECONCILERS)) manager.register(kind, reconcile);
}
