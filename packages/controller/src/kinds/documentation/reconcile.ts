// A Documentation page lives under its portal or its v4 API in APIM, named by the parent's HRID. Its
// content may come from a ConfigMap or Secret (templates): a change of that data sends the page again.
import type { Documentation } from '@gko/api';
import { toDocumentationSpec } from '@gko/mapi';
import { childKind } from '../../sync/child-kind.ts';
import { cachedParent, resolveParent } from '../../sync/parents.ts';
import { synchronizer, type SyncedObject } from '../../sync/synchronizer.ts';

export const DOCUMENTATION_FINALIZER = 'finalizers.gravitee.io/documentations';

type Page = Documentation & SyncedObject;
const namespaceOf = (object: Page) => object.metadata.namespace ?? 'default';
/** Where the page belongs: its portal, or else its API (the schema allows exactly one). */
const parentRef = (page: Page) =>
  page.spec.portalRef
    ? { ref: page.spec.portalRef, kind: 'Portal' as const, field: 'spec.portalRef' }
    : { ref: page.spec.apiRef!, kind: 'ApiV4Definition' as const, field: 'spec.apiRef' };

export const documentationSync = childKind<Page, ReturnType<typeof toDocumentationSpec>>({
  kind: 'Documentation',
  finalizer: DOCUMENTATION_FINALIZER,
  parent(object, context) {
    const { ref, kind, field } = parentRef(object);
    return { parent: resolveParent(ref, kind, namespaceOf(object), field, context) };
  },
  parentForDelete(object, context) {
    const { ref, kind } = parentRef(object);
    return { kind, object: cachedParent(ref, kind, namespaceOf(object), context).object };
  },
  collection: (client, parentHrid, object) =>
    object.spec.portalRef ? client.portalDocumentations(parentHrid) : client.apiDocumentations(parentHrid),
  body: (object) => toDocumentationSpec(object),
});

export const reconcileDocumentation = synchronizer(documentationSync);
