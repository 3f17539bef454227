// An ApiResource holds no APIM object of its own: APIs inline it when they are synchronised, and a
// change of it synchronises them again (see the dependency routes). Reconciling it reports it Ready,
// and its deletion waits while APIs still use it.
import type { ApiResource } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { synchronizer, type KindSync, type SyncedObject } from '../../sync/synchronizer.ts';
import { usersOf } from '../../dependencies/users.ts';

export const API_RESOURCE_FINALIZER = 'finalizers.gravitee.io/apiresource';

type Resource = ApiResource & SyncedObject;

const sync: KindSync<Resource, undefined> = {
  kind: 'ApiResource',
  resource: GRAVITEE_RESOURCES.find((r) => r.kind === 'ApiResource')!,
  finalizer: API_RESOURCE_FINALIZER,
  plan: (object) => ({ fingerprint: object.spec, needsFinalizer: true, data: undefined }),
  apply: () => Promise.resolve({ status: {}, summary: 'ready to be used by APIs' }),
  users: (object, context) => usersOf(context.cache, object),
  async remove() {
    // Nothing outside the cluster.
  },
};

export const reconcileApiResource = synchronizer(sync);
