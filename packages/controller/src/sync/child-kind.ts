// The kinds that live under a parent in APIM (a portal's links, listings and pages, an API's pages)
// synchronise alike: resolve the parent (waiting for it to be in APIM), PUT the body under the
// parent's HRID through the parent's context, read it back to compare, DELETE it when the object goes.
// They came with the Automation API: always known by HRID.
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { baseStatus, hridOnlyIds, type ApimClient, type AutomationResource } from '@gko/mapi';
import type { ReconcileContext } from '../reconcile/contract.ts';
import { compileSpec } from '../templating/compile.ts';
import { idFlags, managedVerdict } from './apim-ids.ts';
import { differingFields, missingFromApim } from './compare.ts';
import { clientForDelete } from './context.ts';
import { parentRefusal, type Parent, type ParentObject } from './parents.ts';
import type { KindSync, SyncedObject } from './synchronizer.ts';

export interface ChildKindOptions<T extends SyncedObject, B> {
  kind: string;
  finalizer: string;
  /** The parent, ready in APIM (throws while it is not), and what else the body names (listed APIs). */
  parent(object: T, context: ReconcileContext): { parent: Parent; named?: Parent[] };
  /** The parent as the cache holds it now, to delete through (undefined when it is gone), and its kind. */
  parentForDelete(
    object: T,
    context: ReconcileContext,
  ): { kind: 'Portal' | 'ApiV4Definition'; object: ParentObject | undefined };
  /** Where the object is kept, under the parent's HRID (the object says which collection, for pages). */
  collection(client: ApimClient, parentHrid: string, object: T): AutomationResource<B, unknown>;
  body(object: T, named: Parent[]): B;
}

interface ChildPlan<B> {
  parent: Parent;
  body: B;
}

export function childKind<T extends SyncedObject, B extends Record<string, unknown>>(
  options: ChildKindOptions<T, B>,
): KindSync<T, ChildPlan<B>> {
  const where = (object: T) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
  return {
    kind: options.kind,
    resource: GRAVITEE_RESOURCES.find((r) => r.kind === options.kind)!,
    finalizer: options.finalizer,
    plan(object, context) {
      const { parent, named = [] } = options.parent(object, context);
      const namespace = object.metadata.namespace ?? 'default';
      const { spec, sources, secrets } = compileSpec(
        namespace,
        object.spec,
        context.cache,
        context.settings.templating,
      );
      return {
        // The written form (template markers, not values), and the APIM ids of the parent and of what
        // the body names: made again in APIM, they are sent again.
        fingerprint: {
          body: options.body(object, named),
          parent: [parent.hrid, parent.object.status?.id],
          named: named.map((n) => [n.hrid, n.object.status?.id]),
          context: parent.context.fingerprint,
          sources,
        },
        needsFinalizer: true,
        secrets,
        data: { parent, body: options.body({ ...object, spec }, named) },
      };
    },
    async apply(object, plan, context) {
      const { parent, body } = plan.data;
      const state = await options.collection(context.apim(parent.context.context), parent.hrid, object).put(body);
      const ids = hridOnlyIds(object);
      return {
        status: baseStatus(state as Parameters<typeof baseStatus>[0]),
        summary: `synchronised with APIM as ${ids.hrid} under ${parent.object.kind} ${parent.hrid}`,
        verdicts: managedVerdict(ids),
      };
    },
    async observe(object, plan, context) {
      const { parent } = plan.data;
      const stored = await options
        .collection(context.apim(parent.context.context), parent.hrid, object)
        .get(hridOnlyIds(object).hrid);
      return stored ? baseStatus(stored) : undefined;
    },
    async compare(object, plan, context, mode) {
      const { parent, body } = plan.data;
      const ids = hridOnlyIds(object);
      const stored = (await options
        .collection(context.apim(parent.context.context), parent.hrid, object)
        .get(ids.hrid, idFlags(ids))) as Record<string, unknown> | undefined;
      if (!stored) return [missingFromApim(options.kind)];
      return mode === 'adopting-synced' ? [] : differingFields(body, stored);
    },
    async remove(object, context) {
      const { kind, object: parent } = options.parentForDelete(object, context);
      if (!parent)
        return `the parent of ${where(object)} is gone from the cluster: what APIM holds of it may remain (status.id ${object.status?.id ?? 'unknown'})`;
      // Never written under a parent that is not in APIM; under one that cannot be named, not reachable.
      if (!object.status?.id || !parent.status?.id) return;
      const refusal = parentRefusal(parent, kind, context);
      if (refusal) return `not removed from APIM, as its parent cannot be named there: ${refusal.message}`;
      const client = clientForDelete(parent, context, object);
      if (typeof client === 'string') return client;
      await options.collection(client, objectHridOf(parent), object).delete(hridOnlyIds(object).hrid);
    },
  };
}

const objectHridOf = (parent: ParentObject) => hridOnlyIds(parent).hrid;
