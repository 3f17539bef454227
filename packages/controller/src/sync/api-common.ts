// What the two API kinds share beyond the skeleton: upstream's finalizer name (so that objects it
// created are handled, and released, by this operator), who holds an API, and the context to delete
// with.
import type { ManagementContext } from '@gko/api';
import { ContextError, type ContextObject } from '@gko/mapi';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { MissingReferenceError } from '../reconcile/errors.ts';
import { usersOf } from '../dependencies/users.ts';
import { compiledContext } from './context.ts';
import type { SyncedObject } from './synchronizer.ts';

export const API_FINALIZER = 'finalizers.gravitee.io/apidefinitiondeletion';

/** Subscriptions still pointing at the API: it stays in APIM (and in the cluster) until they are closed. */
export function apiUsers(context: ReconcileContext, api: SyncedObject): string[] {
  return usersOf(context.cache, api).filter((user) => user.startsWith('Subscription '));
}

/**
 * The context to delete the API from APIM with, or a warning when there is none any more: the context
 * (or the Secret holding its credentials) was deleted first, as happens when a whole namespace goes.
 * Holding the finalizer then would hold the namespace forever, so the API is released and the warning
 * says what may remain in APIM.
 */
export function contextForDelete(
  api: SyncedObject & { spec: { contextRef?: { name: string; namespace?: string } } },
  context: ReconcileContext,
): ContextObject | string {
  const ref = api.spec.contextRef!;
  const namespace = ref.namespace || api.metadata.namespace || 'default';
  const found = context.cache.get('ManagementContext', namespace, ref.name) as ManagementContext | undefined;
  const remains = `${api.kind} ${api.metadata.namespace}/${api.metadata.name} (status.id ${api.status?.id ?? 'unknown'}) may remain in APIM`;
  if (!found) return `ManagementContext ${namespace}/${ref.name} is gone, so APIM cannot be reached: ${remains}`;
  try {
    const resolved = compiledContext(found, context.cache, context.settings.templating).context;
    context.apim(resolved);
    return resolved;
  } catch (error) {
    if (error instanceof ContextError || error instanceof MissingReferenceError) return `${error.message}: ${remains}`;
    throw error;
  }
}
