// A ManagementContext holds no APIM object of its own. Reconciling it proves that it can be used
// (its Secrets exist, APIM answers for its environment with its credentials) and reports that as
// Ready; its deletion waits while objects still use it.
import type { ManagementContext } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';
import { compiledContext } from '../../sync/context.ts';
import { usersOf } from '../../dependencies/users.ts';

export const CONTEXT_FINALIZER = 'finalizers.gravitee.io/managementcontextdeletion';

type Context = ManagementContext & SyncedObject;

const sync: KindSync<Context, ReturnType<typeof compiledContext>> = {
  kind: 'ManagementContext',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'ManagementContext')!,
  finalizer: CONTEXT_FINALIZER,
  plan(object, context) {
    const resolved = compiledContext(object, context.cache, context.settings.templating);
    // Resolving the target here reports a missing Secret as a missing reference before any call.
    context.apim(resolved.context);
    return { fingerprint: resolved.fingerprint, needsFinalizer: true, data: resolved };
  },
  async apply(_object, plan, context) {
    const environment = await context.apim(plan.data.context).environment();
    return {
      status: {},
      summary: `APIM answers for environment ${environment.name ?? environment.id} with these credentials`,
    };
  },
  users: (object, context) => usersOf(context.cache, object),
  async remove() {
    // Nothing in APIM belongs to a context.
  },
};

export const reconcileManagementContext = synchronizer(sync);
