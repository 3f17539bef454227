// A Notification holds no APIM object of its own: the APIs that refer to it carry it into APIM, and a
// change of it (or of one of its groups) re-synchronises them through the dependency routes.
// Reconciling it checks its groupRefs and reports them; its deletion waits while APIs still use it.
import type { Notification } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { usersOf } from '../../dependencies/users.ts';
import { notOk } from '../../status/conditions.ts';
import { missingGroups } from '../../sync/missing-groups.ts';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';

export const NOTIFICATION_FINALIZER = 'finalizers.gravitee.io/notification';

type Note = Notification & SyncedObject;

const sync: KindSync<Note, { missingGroups: string[] }> = {
  kind: 'Notification',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'Notification')!,
  finalizer: NOTIFICATION_FINALIZER,
  plan(object, context) {
    const namespace = object.metadata.namespace ?? 'default';
    const missing = missingGroups(object.spec.console?.groupRefs, namespace, context.cache);
    return {
      fingerprint: { spec: object.spec, missingGroups: missing },
      needsFinalizer: true,
      data: { missingGroups: missing },
    };
  },
  apply(_object, plan) {
    const { missingGroups } = plan.data;
    return Promise.resolve({
      status: {},
      summary: 'ready to be used by APIs',
      verdicts:
        missingGroups.length > 0
          ? {
              ResolvedRefs: notOk(
                'GroupNotFound',
                `spec.console.groupRefs: Group ${missingGroups.join(', ')} does not exist; APIs using this notification notify the other groups`,
              ),
            }
          : {},
    });
  },
  users: (object, context) => usersOf(context.cache, object),
  async remove() {
    // Nothing outside the cluster.
  },
};

export const reconcileNotification = synchronizer(sync);
