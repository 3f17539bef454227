// The kinds that are one Automation API object each (Application, SharedPolicyGroup, Group,
// Dictionary) synchronise the same way: PUT the body, read it back to compare, DELETE it, each named
// as APIM knows the object (by HRID, or by UUID). Each kind only says how APIM knows it, how its body
// is made and what of the answer goes into its status.
import type { ObjectReference } from '@gko/api';
import { GRAVITEE_RESOURCES } from '@gko/kube';
import { checkTakeOver, claimLookup, type ApimClient, type ApimIds, type AutomationResource } from '@gko/mapi';
import type { ReconcileContext } from '../reconcile/contract.ts';
import type { Verdicts } from '../status/conditions.ts';
import { compileSpec, type SourceVersion } from '../templating/compile.ts';
import { idFlags, managedVerdict } from './apim-ids.ts';
import { differingFields, missingFromApim } from './compare.ts';
import { clientForDelete, requiredContext, type ResolvedContext } from './context.ts';
import { untakenWarning } from './identity.ts';
import type { KindSync, SyncedObject } from './synchronizer.ts';

export type AutomationObject = SyncedObject & {
  spec: { contextRef?: ObjectReference; hrid?: string };
};

/** What a body is made from, besides the object: inputs the kind read from the cluster itself. */
export interface BodyInputs<T> {
  /** The object with its templates compiled (or as written, for the fingerprint). */
  object: T;
  context: ReconcileContext;
}

export interface BuiltBody<B> {
  body: B;
  /** Secrets and ConfigMaps read besides templates (e.g. certificates), as versions. */
  sources?: SourceVersion[];
  /** What of the body stands for those sources in the fingerprint (no content, no secret). */
  written?: unknown;
  verdicts?: Verdicts;
}

export interface AutomationKindOptions<T extends AutomationObject, B, S> {
  kind: string;
  finalizer: string;
  collection(client: ApimClient): AutomationResource<B, S>;
  body(inputs: BodyInputs<T>): BuiltBody<B>;
  status(state: S): Record<string, unknown>;
  /** How APIM knows the object: by HRID, or by UUID (see identity/apim-ids.ts in @gko/mapi). */
  ids(object: T): ApimIds;
  users?: (object: T, context: ReconcileContext) => string[];
  statusExtras?: (object: T, context: ReconcileContext) => Record<string, unknown>;
}

export interface AutomationPlan<B> {
  context: ResolvedContext;
  ids: ApimIds;
  body: B;
  verdicts: Verdicts;
}

export function automationKind<T extends AutomationObject, B extends Record<string, unknown>, S>(
  options: AutomationKindOptions<T, B, S>,
): KindSync<T, AutomationPlan<B>> {
  return {
    kind: options.kind,
    resource: GRAVITEE_RESOURCES.find((r) => r.kind === options.kind)!,
    finalizer: options.finalizer,
    plan(object, context) {
      const resolved = requiredContext(object, context);
      const ids = options.ids(object);
      const namespace = object.metadata.namespace ?? 'default';
      const { spec, sources, secrets } = compileSpec(
        namespace,
        object.spec,
        context.cache,
        context.settings.templating,
      );
      const built = options.body({ object: { ...object, spec }, context });
      // The fingerprint is made from the object as written: template markers, never their values.
      const written = options.body({ object, context });
      return {
        fingerprint: {
          body: written.written ?? written.body,
          legacy: ids.hridContainsUUID,
          context: resolved.fingerprint,
          sources: [...sources, ...(built.sources ?? [])],
        },
        needsFinalizer: true,
        secrets,
        data: {
          context: resolved,
          ids,
          body: built.body,
          verdicts: { ...built.verdicts, ...managedVerdict(ids) },
        },
      };
    },
    async apply(object, plan, context) {
      const { ids, body } = plan.data;
      const collection = options.collection(context.apim(plan.data.context.context));
      await checkTakeOver(
        object,
        ids,
        async (hrid, flags) => (await collection.get(hrid, flags)) as { hrid?: string } | undefined,
        claimLookup(context.cache),
      );
      const state = await collection.put(body, idFlags(ids));
      return {
        status: options.status(state),
        summary: `synchronised with APIM as ${ids.hrid}`,
        verdicts: plan.data.verdicts,
      };
    },
    async observe(_object, plan, context) {
      const { ids } = plan.data;
      const stored = await options.collection(context.apim(plan.data.context.context)).get(ids.hrid, idFlags(ids));
      return stored ? options.status(stored) : undefined;
    },
    async compare(_object, plan, context, mode) {
      const { ids, body } = plan.data;
      const stored = await options.collection(context.apim(plan.data.context.context)).get(ids.hrid, idFlags(ids));
      if (!stored) return [missingFromApim(options.kind)];
      return mode === 'adopting-synced' ? [] : differingFields(body, stored);
    },
    ...(options.users ? { users: options.users } : {}),
    ...(options.statusExtras ? { statusExtras: options.statusExtras } : {}),
    async remove(object, context) {
      if (!object.spec.contextRef) return;
      const untaken = untakenWarning(object);
      if (untaken) return untaken;
      const client = clientForDelete(object, context);
      if (typeof client === 'string') return client;
      const ids = options.ids(object);
      await options.collection(client).delete(ids.hrid, idFlags(ids));
    },
  };
}
