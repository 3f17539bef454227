// A Portal is one Automation API object; its links, listings and pages are objects of their own that
// name it, and its deletion waits for them.
import type { Portal } from '@gko/api';
import { baseStatus, hridOnlyIds, toPortalSpec, type Automation } from '@gko/mapi';
import { usersOf } from '../../dependencies/users.ts';
import { automationKind, type AutomationObject } from '../../sync/automation-kind.ts';
import { synchronizer } from '../../sync/synchronizer.ts';

export const PORTAL_FINALIZER = 'finalizers.gravitee.io/portals';

export const portalSync = automationKind<Portal & AutomationObject, Automation.PortalSpec, Automation.PortalState>({
  kind: 'Portal',
  finalizer: PORTAL_FINALIZER,
  ids: hridOnlyIds,
  collection: (client) => client.portals,
  body: ({ object }) => ({ body: toPortalSpec(object) }),
  status: baseStatus,
  users: (object, context) => usersOf(context.cache, object),
});

export const reconcilePortal = synchronizer(portalSync);
