// The reconciler of each kind the controller synchronises.
import type { Reconciler } from '../reconcile/contract.ts';
import { reconcileApiDefinition } from './api-definition/reconcile.ts';
import { reconcileApiResource } from './api-resource/reconcile.ts';
import { reconcileApiV4Definition } from './api-v4-definition/reconcile.ts';
import { reconcileApplication } from './application/reconcile.ts';
import { reconcileDictionary } from './dictionary/reconcile.ts';
import { reconcileDocumentation } from './documentation/reconcile.ts';
import { reconcileGroup } from './group/reconcile.ts';
import { reconcileManagementContext } from './management-context/reconcile.ts';
import { reconcileNotification } from './notification/reconcile.ts';
import { reconcilePortal } from './portal/reconcile.ts';
import { reconcilePortalLink } from './portal-link/reconcile.ts';
import { reconcilePortalListing } from './portal-listing/reconcile.ts';
import { reconcileSharedPolicyGroup } from './shared-policy-group/reconcile.ts';
import { reconcileSubscription } from './subscription/reconcile.ts';
import { ingressExtension, type IngressSettings } from './ingress/index.ts';
import type { ManagerExtension } from '../runtime/extension.ts';

interface KindController {
  reconcile: Reconciler;
  /** Has a copy outside the cluster (APIM, a gateway ConfigMap) that drift repair compares with. */
  drift: boolean;
}

const CONTROLLERS: Record<string, KindController> = {
  ManagementContext: { reconcile: reconcileManagementContext, drift: false },
  ApiResource: { reconcile: reconcileApiResource, drift: false },
  ApiDefinition: { reconcile: reconcileApiDefinition, drift: true },
  ApiV4Definition: { reconcile: reconcileApiV4Definition, drift: true },
  Application: { reconcile: reconcileApplication, drift: true },
  Subscription: { reconcile: reconcileSubscription, drift: true },
  SharedPolicyGroup: { reconcile: reconcileSharedPolicyGroup, drift: true },
  Group: { reconcile: reconcileGroup, drift: true },
  Notification: { reconcile: reconcileNotification, drift: false },
  Dictionary: { reconcile: reconcileDictionary, drift: true },
  Portal: { reconcile: reconcilePortal, drift: true },
  PortalLink: { reconcile: reconcilePortalLink, drift: true },
  PortalListing: { reconcile: reconcilePortalListing, drift: true },
  Documentation: { reconcile: reconcileDocumentation, drift: true },
};

export const RECONCILED_KINDS = Object.keys(CONTROLLERS);

export interface ReconcilerOptions {
  /** Turns the Ingress controller on (ENABLE_INGRESS). */
  ingress?: IngressSettings;
}

export function registerReconcilers(
  manager: {
    register(kind: string, reconcile: Reconciler, options: { drift: boolean }): void;
    use(extension: ManagerExtension): void;
  },
  options: ReconcilerOptions = {},
): void {
  for (const [kind, { reconcile, drift }] of Object.entries(CONTROLLERS)) manager.register(kind, reconcile, { drift });
  if (options.ingress) manager.use(ingressExtension(options.ingress));
}
