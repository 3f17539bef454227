// The skeleton every synchronised kind shares, so that each kind only says what it wants (plan),
// how to make it so (apply), how to compare with what is there (compare) and how to clean up
// (remove). The skeleton decides when to do nothing, which is most of the time: an object whose
// plan hashes to the status' syncHash and which is Ready for its generation costs no call and no
// write, whatever woke it up (a re-apply, a restart, a resync).
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  KINDS_WITHOUT_OWN_COPY,
  managementPolicies,
  objectReferences,
  refusedReferences,
  type Condition,
  type ManagementPolicies,
} from '@gko/api';
import {
  addFinalizer,
  DataNotLoadedError,
  patchStatusFields,
  removeFinalizers,
  writeStatus,
  type ResourceType,
} from '@gko/kube';
import { ApimError } from '@gko/mapi';
import { jsonEqual, redactText, stableHash } from '@gko/runtime';
import { classifyFailure, InvalidSpecError, PendingReferenceError, type RefusalCause } from '../reconcile/errors.ts';
import type { ObjectKey, ReconcileContext, Reconciler } from '../reconcile/contract.ts';
import { keyString } from '../reconcile/contract.ts';
import { SLOW_RETRY_POLICY, type Outcome } from '../reconcile/result.ts';
import { applyVerdicts, isReadyAt, notOk, ok, withProgress, type Verdicts } from '../status/conditions.ts';
import { assertOwnIdentity, identityIssues } from './identity.ts';
import { driftVerdicts, observedVerdicts, observeUnsupported, orphanMessage, pausedVerdicts } from './policies.ts';

export interface SyncedStatus {
  observedGeneration?: number;
  conditions?: Condition[];
  syncHash?: string;
  processingStatus?: string;
  errors?: { severe?: string[]; warning?: string[] };
  id?: string;
  [field: string]: unknown;
}

export type SyncedObject = KubernetesObject & {
  metadata: NonNullable<KubernetesObject['metadata']> & { name: string; namespace?: string };
  spec: unknown;
  status?: SyncedStatus;
};

/** A failure as reported: its reason and its message, secret values removed. */
class ReconcileFailure extends Error {
  override name: string;
  constructor(reason: string, message: string) {
    super(message);
    this.name = reason;
  }
}

export interface Plan<D> {
  /** Everything the synchronisation depends on, without secret values; its hash becomes status.syncHash. */
  fingerprint: unknown;
  /** Something outside the cluster (APIM) or a delete guard needs the object to wait for cleanup before it goes. */
  needsFinalizer: boolean;
  data: D;
  /** Values taken from Secrets by templates: removed from any message that could show them. */
  secrets?: string[];
}

export interface Applied {
  /** Status fields to record, besides conditions (ids, state, plans, APIM warnings...). */
  status: Record<string, unknown>;
  /** What was done, for the event. */
  summary: string;
  /** Extra condition verdicts (e.g. AutomationAPIManaged). */
  verdicts?: Verdicts;
}

export interface KindSync<T extends SyncedObject, D> {
  kind: string;
  resource: ResourceType;
  finalizer: string;
  plan(object: T, context: ReconcileContext): Plan<D>;
  apply(object: T, plan: Plan<D>, context: ReconcileContext): Promise<Applied>;
  /** What differs between the copy outside the cluster and the plan; empty when they agree. */
  compare?(object: T, plan: Plan<D>, context: ReconcileContext, mode: CompareMode): Promise<string[]>;
  /** Status fields to record when the object is taken over from upstream's operator without a write. */
  adopted?(object: T, context: ReconcileContext): Record<string, unknown>;
  /**
   * Reads the copy outside the cluster into status fields (ids, state, plan ids), writing nothing:
   * for objects whose reconcile annotation is observe. Undefined when there is no copy.
   */
  observe?(object: T, plan: Plan<D>, context: ReconcileContext): Promise<Record<string, unknown> | undefined>;
  /** Objects that still use this one: its deletion waits for them. */
  users?(object: T, context: ReconcileContext): string[];
  /** Removes the copy outside the cluster. May return a warning to record (e.g. nothing to reach it with). */
  remove(object: T, context: ReconcileContext): Promise<string | void>;
  /**
   * Status fields computed from the cluster alone (counters), refreshed at every reconcile with a
   * status write only when they changed: never a reason to call APIM.
   */
  statusExtras?(object: T, context: ReconcileContext): Record<string, unknown>;
  /** When to reconcile again although nothing changes (e.g. the end date of a subscription), in ms. */
  revisitAfterMs?(object: T, context: ReconcileContext): number | undefined;
}

/**
 * Why copies are compared: drift repair; the take-over of an object upstream's operator synchronised,
 * whose status does not say it is in sync with its spec (compare everything); and the take-over of one
 * whose status says upstream synchronised this very generation (what is there was made from this spec,
 * in upstream's form: it only has to exist, under the same ids).
 */
export type CompareMode = 'drift' | 'adopting' | 'adopting-synced';

/** Whether upstream's operator reports the object synchronised at its current generation. */
function upstreamSynced(object: SyncedObject): boolean {
  const accepted = object.status?.conditions?.find((c) => c.type === 'Accepted');
  return accepted?.status === 'True' && accepted.observedGeneration === object.metadata.generation;
}

/** Upstream's annotation: its presence says that upstream's operator synchronised the object. */
export const UPSTREAM_SPEC_HASH = 'gravitee.io/last-spec-hash';
const MAX_REMEMBERED = 50_000;

/**
 * How long an object waits for a reference on its way to APIM before it says so (a status, an
 * Event). Objects applied together (a GitOps sync of thousands) wait for each other, for minutes at
 * the largest; saying it for each would be thousands of writes for nothing, and the reference's
 * arrival wakes them anyway. A reference whose own synchronisation failed is said at once.
 */
export const PENDING_GRACE_MS = 5 * 60_000;
/** The same for the data of a Secret or ConfigMap read through another object (a context's credentials). */
const DATA_GRACE_MS = 30_000;
const DATA_RETRY_MS = 1_000;

const isWait = (error: unknown) => error instanceof PendingReferenceError || error instanceof DataNotLoadedError;

/**
 * A plan that failed for good: not tried again until the object is another one (uid), its plan
 * changes, or the object in the way (if any) changes.
 */
interface Refusal {
  uid: string | undefined;
  hash: string;
  /** The version of the object in the way when refused ('absent' once it is gone). */
  blocker?: { cause: RefusalCause; version: string };
}

function versionOf(cause: RefusalCause, context: ReconcileContext): string {
  return context.cache.get(cause.kind, cause.namespace, cause.name)?.metadata?.resourceVersion ?? 'absent';
}

function stillRefused(refusal: Refusal | undefined, object: SyncedObject, hash: string, context: ReconcileContext) {
  if (!refusal || refusal.uid !== object.metadata.uid || refusal.hash !== hash) return false;
  return !refusal.blocker || refusal.blocker.version === versionOf(refusal.blocker.cause, context);
}

const done: Outcome = { kind: 'done' };

export function synchronizer<T extends SyncedObject, D>(sync: KindSync<T, D>): Reconciler {
  // Plans that failed for good, by object.
  const refused = new Map<string, Refusal>();
  // The users that held up each object's deletion, as last said in an Event.
  const blocked = new Map<string, string>();
  // What this process last wrote for each object, until the cache shows it.
  const written = new Map<string, { uid: string | undefined; generation: number | undefined; hash: string }>();
  // The last drift repaired for each object, to tell a repair that does not hold.
  const repairs = new Map<string, string>();
  // Since when each object has waited for a reference on its way to APIM (see PENDING_GRACE_MS).
  const pending = new Map<string, { uid: string | undefined; wait: string; since: number }>();

  /** How long the object has waited for this kind of thing, counting from now if it just began. */
  function waitedMs(object: T, context: ReconcileContext, wait: 'reference' | 'data'): number {
    const id = keyString(keyOf(object));
    const now = context.now().getTime();
    const known = pending.get(id);
    if (known && known.uid === object.metadata.uid && known.wait === wait) return now - known.since;
    pending.set(id, { uid: object.metadata.uid, wait, since: now });
    if (pending.size > MAX_REMEMBERED) pending.delete(pending.keys().next().value!);
    return 0;
  }

  /**
   * For a wait expected to end by itself (a reference on its way to APIM, the data of a Secret
   * being read), the quiet retry while it has not lasted its grace; undefined when it must be said.
   */
  function quietWait(object: T, context: ReconcileContext, error: unknown): Outcome | undefined {
    const id = keyString(keyOf(object));
    const grace =
      error instanceof PendingReferenceError
        ? PENDING_GRACE_MS
        : error instanceof DataNotLoadedError
          ? DATA_GRACE_MS
          : undefined;
    // An object in sync whose reference went away: said at once, not taken for still in sync.
    const wentAway =
      error instanceof PendingReferenceError && isReadyAt(object.status?.conditions, object.metadata.generation);
    if (grace === undefined || wentAway) {
      pending.delete(id);
      return undefined;
    }
    const waited = waitedMs(object, context, error instanceof DataNotLoadedError ? 'data' : 'reference');
    if (waited >= grace) return undefined;
    written.delete(id);
    // The arrival of a reference wakes the object; the read of a Secret does not, hence the short retry.
    return { kind: 'requeue', afterMs: error instanceof DataNotLoadedError ? DATA_RETRY_MS : grace - waited };
  }

  /** The status already says this very failure for this generation: nothing new to write or say. */
  const alreadySaid = (object: T, reason: string, message: string) =>
    object.status?.conditions?.some(
      (c) =>
        c.type === 'Ready' &&
        c.status === 'False' &&
        c.reason === reason &&
        c.message === message &&
        c.observedGeneration === object.metadata.generation,
    ) ?? false;

  async function record(
    object: T,
    context: ReconcileContext,
    fields: Record<string, unknown>,
    verdicts: Verdicts,
  ): Promise<void> {
    const generation = object.metadata.generation;
    const status = {
      ...(object.status ?? {}),
      ...fields,
      observedGeneration: generation,
      conditions: applyVerdicts(object.status?.conditions, withProgress(verdicts), generation, context.now()),
    };
    await writeStatus(context.kube, sync.resource, object, status);
  }

  async function fail(
    object: T,
    context: ReconcileContext,
    error: unknown,
    hash?: string,
    secrets?: string[],
  ): Promise<Outcome> {
    const classified = classifyFailure(error);
    const failure = { ...classified, message: redact(classified.message, secrets) };
    const quiet = quietWait(object, context, error);
    if (quiet) {
      context.logger.debug('waiting for something on its way', { error: failure.message });
      return quiet;
    }
    // A wait that lasts is said once, then retried with backoff without a write each time.
    if (isWait(error) && alreadySaid(object, failure.reason, failure.message))
      return { kind: 'failed', error: new ReconcileFailure(failure.reason, failure.message), terminal: false };
    const severe = error instanceof ApimError ? error.details.severe?.map((s) => redact(s, secrets)) : undefined;
    const verdict = notOk(failure.reason, failure.message);
    const verdicts: Verdicts = { Ready: verdict, Accepted: verdict };
    if (failure.kind === 'reference') verdicts.ResolvedRefs = verdict;
    const terminal = failure.kind === 'invalid' || (failure.kind === 'apim' && failure.terminal);
    // As kstatus reads it: retried (in progress), or waiting for the object to change (failed).
    verdicts.Reconciling = terminal
      ? notOk(failure.reason, 'not retried until the object changes')
      : ok(failure.reason, `${failure.message} (retried with backoff)`);
    verdicts.Stalled = terminal
      ? ok(failure.reason, `${failure.message} (not retried until the object changes)`)
      : notOk(failure.reason, 'retried with backoff');
    const id = keyString(keyOf(object));
    // Whatever this process wrote last no longer tells the state: the next attempt must not take the
    // object for in sync because of it.
    written.delete(id);
    context.logger.warn('synchronisation failed', { reason: failure.reason, error: failure.message, terminal });
    await context.events.record(object, 'Warning', failure.reason, failure.message, 'Update');
    await record(object, context, { processingStatus: 'Failed', ...(severe ? { errors: { severe } } : {}) }, verdicts);
    if (terminal && hash) {
      const cause = error instanceof InvalidSpecError ? error.blockedBy : undefined;
      refused.set(id, {
        uid: object.metadata.uid,
        hash,
        ...(cause ? { blocker: { cause, version: versionOf(cause, context) } } : {}),
      });
    }
    const reported = new ReconcileFailure(failure.reason, failure.message);
    return failure.reason === 'Forbidden'
      ? { kind: 'failed', error: reported, terminal, retry: SLOW_RETRY_POLICY }
      : { kind: 'failed', error: reported, terminal };
  }

  async function finalize(object: T, context: ReconcileContext, policies: ManagementPolicies): Promise<Outcome> {
    const held = object.metadata.finalizers?.includes(sync.finalizer) ? [sync.finalizer] : [];
    if (held.length === 0) return done;
    if (policies.reconcile === 'paused') return pause(object, context);
    const id = keyString(keyOf(object));
    if (policies.deletion === 'orphan' || policies.reconcile === 'observe') {
      const message = orphanMessage(policies.deletion === 'orphan' ? 'orphan' : 'observe');
      await record(object, context, {}, { Ready: notOk('Orphaned', message) });
      await context.events.record(object, 'Normal', 'Orphaned', message, 'Delete');
      await removeFinalizers(context.kube, sync.resource, object, held);
      refused.delete(id);
      written.delete(id);
      context.logger.info('deleted, leaving APIM as it is', { policy: policies });
      return done;
    }
    const users = sync.users?.(object, context) ?? [];
    if (users.length > 0) {
      const message = `${sync.kind} ${keyString(keyOf(object))} is still used by ${users.join(', ')}: it is deleted once they are gone`;
      // Said once per change of its users: the deletion of a user wakes this object, the slow retries
      // only cover a user that stops naming it.
      if (blocked.get(id) !== message) {
        await context.events.record(object, 'Warning', 'DeleteBlocked', message, 'Delete');
        blocked.set(id, message);
      }
      return {
        kind: 'failed',
        error: new ReconcileFailure('DeleteBlocked', message),
        terminal: false,
        retry: SLOW_RETRY_POLICY,
      };
    }
    blocked.delete(id);
    try {
      // What the object names in APIM may be another object's (it reached the cluster without the
      // webhook): that is not this object's to remove.
      const issues = identityIssues(object, context.cache);
      const warning =
        issues.length > 0
          ? `not removed from APIM, as what it names there is not its own: ${issues.join('; ')}`
          : await sync.remove(object, context);
      if (warning) await context.events.record(object, 'Warning', 'DeleteIncomplete', warning, 'Delete');
    } catch (error) {
      const quiet = quietWait(object, context, error);
      if (quiet) return quiet;
      const message = error instanceof Error ? error.message : String(error);
      context.logger.warn('delete failed', { error: message });
      await context.events.record(object, 'Warning', 'DeleteFailed', message, 'Delete');
      return { kind: 'failed', error: error instanceof Error ? error : new Error(message), terminal: false };
    }
    await removeFinalizers(context.kube, sync.resource, object, held);
    refused.delete(id);
    written.delete(id);
    context.logger.info('deleted');
    await context.events.record(object, 'Normal', 'DeleteSucceeded', `${sync.kind} removed`, 'Delete');
    return done;
  }

  return async (key: ObjectKey, context: ReconcileContext): Promise<Outcome> => {
    const id = keyString(key);
    const cached = context.cache.get(sync.kind, key.namespace, key.name) as T | undefined;
    if (!cached) {
      refused.delete(id);
      written.delete(id);
      repairs.delete(id);
      blocked.delete(id);
      pending.delete(id);
      return done;
    }
    // Kinds with no copy of their own outside the cluster follow no policy (the webhook says so).
    const { policies, problems } = KINDS_WITHOUT_OWN_COPY.includes(sync.kind)
      ? managementPolicies(undefined)
      : managementPolicies(cached.metadata.annotations);
    // A misspelt policy is never taken for the default, least of all on delete: the object waits for it.
    if (problems.length > 0)
      return fail(
        cached,
        context,
        new InvalidSpecError('InvalidAnnotation', problems.map((p) => `${p.path}: ${p.message}`).join('; ')),
      );
    if (cached.metadata.deletionTimestamp) return finalize(cached, context, policies);
    if (policies.reconcile === 'paused') return pause(cached, context);

    let plan: Plan<D>;
    try {
      const refusedRefs = refusedReferences(objectReferences(cached), key.namespace, (d) =>
        context.cache.get(d.kind, d.namespace, d.name),
      );
      if (refusedRefs.length > 0) throw new InvalidSpecError('ReferenceNotAllowed', refusedRefs.join('; '));
      assertOwnIdentity(cached, context.cache);
      plan = sync.plan(cached, context);
    } catch (error) {
      return fail(cached, context, error);
    }
    if (policies.reconcile === 'observe') return observe(cached, plan, context);
    const hash = stableHash(plan.fingerprint);
    const generation = cached.metadata.generation;
    // Our own status write may not be in the cache yet: what this process wrote last counts too.
    const last = written.get(id);
    const inSync =
      (cached.status?.syncHash === hash && isReadyAt(cached.status?.conditions, generation)) ||
      (last?.uid === cached.metadata.uid && last?.generation === generation && last?.hash === hash);
    // Nothing outside the cluster to compare with: in sync is in sync.
    if (
      (inSync && (!context.verifyRemote || !sync.compare)) ||
      (!inSync && stillRefused(refused.get(id), cached, hash, context))
    )
      return settle(cached, hash, context);

    if (inSync && sync.compare) return verify(cached, plan, hash, context, policies);

    let object = cached;
    try {
      if (plan.needsFinalizer) {
        const withFinalizer = await addFinalizer(context.kube, sync.resource, object, sync.finalizer);
        if (!withFinalizer) return done;
        object = withFinalizer;
      }
      // An object taken over from upstream's operator (synchronised by it, never by us): compare
      // before writing, and adopt it without a write when APIM already holds what it declares.
      const adopting = !cached.status?.syncHash && !!cached.metadata.annotations?.[UPSTREAM_SPEC_HASH];
      if (sync.compare && adopting) {
        const mode = upstreamSynced(cached) ? 'adopting-synced' : 'adopting';
        const differences = await sync.compare(object, plan, context, mode);
        context.logger.debug('compared before adopting', { mode, differences });
        if (differences.length === 0) {
          await record(
            object,
            context,
            {
              ...sync.adopted?.(object, context),
              ...sync.statusExtras?.(object, context),
              syncHash: hash,
              processingStatus: 'Completed',
            },
            syncedVerdicts(),
          );
          remember(object, hash);
          pending.delete(keyString(keyOf(object)));
          await context.events.record(
            object,
            'Normal',
            'Adopted',
            'already in sync: taken over without a write',
            'Update',
          );
          return revisit(object, context);
        }
      }
      return await applyPlan(object, plan, hash, context);
    } catch (error) {
      return fail(object, context, error, hash, plan.secrets);
    }
  };

  async function applyPlan(object: T, plan: Plan<D>, hash: string, context: ReconcileContext): Promise<Outcome> {
    const applied = await sync.apply(object, plan, context);
    await record(
      object,
      context,
      // A field the last answer left out must not survive from an earlier one (errors above all).
      {
        errors: undefined,
        ...applied.status,
        ...sync.statusExtras?.(object, context),
        syncHash: hash,
        processingStatus: 'Completed',
      },
      {
        ...syncedVerdicts(),
        ...applied.verdicts,
        // Written from the cluster: whatever drift was reported is gone.
        ...(object.status?.conditions?.some((c) => c.type === 'Drifted') ? driftVerdicts([]) : {}),
      },
    );
    remember(object, hash);
    refused.delete(keyString(keyOf(object)));
    pending.delete(keyString(keyOf(object)));
    context.logger.info('synchronised', { summary: applied.summary });
    await context.events.record(object, 'Normal', 'UpdateSucceeded', applied.summary, 'Update');
    return revisit(object, context);
  }

  /**
   * Nothing to synchronise: only the fields computed from the cluster may need writing. Only once the
   * cache shows this plan's status (else it is our own write still on its way, whose arrival brings
   * the object back here), and only those fields: never an older copy of the rest.
   */
  async function settle(object: T, hash: string, context: ReconcileContext): Promise<Outcome> {
    pending.delete(keyString(keyOf(object)));
    const extras = sync.statusExtras?.(object, context) ?? {};
    const stale = Object.entries(extras).some(([field, value]) => !jsonEqual(object.status?.[field], value));
    if (stale && object.status?.syncHash === hash) await patchStatusFields(context.kube, sync.resource, object, extras);
    return revisit(object, context);
  }

  function revisit(object: T, context: ReconcileContext): Outcome {
    const afterMs = sync.revisitAfterMs?.(object, context);
    return afterMs === undefined ? done : { kind: 'done', resyncAfterMs: afterMs };
  }

  /**
   * Drift repair of an object in sync: read the copy outside the cluster and put it back when it
   * differs. A failed read changes nothing (the object is still in sync as far as anyone knows); the
   * next round reads again. The same repair needed twice in a row for an unchanged plan means the
   * other side keeps its own form of some value: it is reported once and not repeated, so that
   * drift repair never turns into a write every period.
   */
  async function verify(
    object: T,
    plan: Plan<D>,
    hash: string,
    context: ReconcileContext,
    policies: ManagementPolicies,
  ): Promise<Outcome> {
    const id = keyString(keyOf(object));
    pending.delete(id);
    let differences: string[];
    try {
      differences = await sync.compare!(object, plan, context, 'drift');
    } catch (error) {
      context.logger.warn('drift check failed; checked again next round', {
        error: redact(error instanceof Error ? error.message : String(error), plan.secrets),
      });
      return revisit(object, context);
    }
    if (policies.drift === 'report') return report(object, differences, hash, context);
    if (differences.length === 0) {
      repairs.delete(id);
      // Drift reported while the policy was report: gone, now that APIM agrees.
      if (object.status?.conditions?.some((c) => c.type === 'Drifted' && c.status === 'True'))
        await record(object, context, {}, driftVerdicts([]));
      return settle(object, hash, context);
    }
    const signature = `${hash}|${differences.join(',')}`;
    if (repairs.get(id) === signature) {
      context.logger.warn('the same drift came back right after its repair: not repairing it again', { differences });
      return revisit(object, context);
    }
    const message = `the copy outside the cluster differed in ${differences.join(', ')}; restored from the cluster`;
    context.logger.info('drift repaired', { differences });
    await context.events.record(object, 'Warning', 'DriftRepaired', message, 'Update');
    try {
      const outcome = await applyPlan(object, plan, hash, context);
      // Only a repair that was made can be found not to hold: a failed one is tried again.
      repairs.set(id, signature);
      return outcome;
    } catch (error) {
      return fail(object, context, error, hash, plan.secrets);
    }
  }

  /**
   * Drift reported, not repaired: the Drifted condition, and an event and the drift metric once per
   * new difference (not again at every round while it stays the same).
   */
  async function report(object: T, differences: string[], hash: string, context: ReconcileContext): Promise<Outcome> {
    const id = keyString(keyOf(object));
    const drifted = object.status?.conditions?.find((c) => c.type === 'Drifted');
    if (differences.length === 0) {
      repairs.delete(id);
      if (drifted?.status === 'True') await record(object, context, {}, driftVerdicts([]));
      return settle(object, hash, context);
    }
    const verdicts = driftVerdicts(differences);
    // Already said (the status keeps it across restarts): not said, nor counted, again.
    if (drifted?.status === 'True' && drifted.message === verdicts.Drifted?.message) return revisit(object, context);
    context.logger.info('drift detected, reported', { differences });
    await context.events.record(object, 'Warning', 'DriftDetected', verdicts.Drifted!.message, 'Update');
    await record(object, context, {}, verdicts);
    return { ...revisit(object, context), driftDetected: true } as Outcome;
  }

  /** Nothing is written anywhere: said once in the status and an event, until the annotation goes. */
  async function pause(object: T, context: ReconcileContext): Promise<Outcome> {
    const ready = object.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.reason === 'Paused' && ready.observedGeneration === object.metadata.generation) return done;
    await context.events.record(object, 'Normal', 'Paused', pausedVerdicts().Ready!.message, 'Update');
    await record(object, context, {}, pausedVerdicts());
    // Its own status write must not make it look in sync once resumed: the next reconcile checks again.
    written.delete(keyString(keyOf(object)));
    return done;
  }

  /** The copy in APIM read into the status, nothing written (not even a finalizer); read again each drift period. */
  async function observe(object: T, plan: Plan<D>, context: ReconcileContext): Promise<Outcome> {
    const again =
      context.settings.driftPeriodMs > 0
        ? { kind: 'done' as const, resyncAfterMs: context.settings.driftPeriodMs }
        : done;
    if (!sync.observe) {
      await record(object, context, {}, observeUnsupported(sync.kind));
      return done;
    }
    try {
      const fields = await sync.observe(object, plan, context);
      // No syncHash: once active again, the object is written from the cluster at least once. Nothing
      // in APIM: no id either, for whatever reads the status.
      await record(
        object,
        context,
        { ...(fields ?? { id: undefined }), syncHash: undefined },
        observedVerdicts(!!fields, `${sync.kind} ${keyString(keyOf(object))}`),
      );
      written.delete(keyString(keyOf(object)));
      return again;
    } catch (error) {
      return fail(object, context, error, undefined, plan.secrets);
    }
  }

  function remember(object: T, hash: string): void {
    const id = keyString(keyOf(object));
    written.delete(id);
    written.set(id, { uid: object.metadata.uid, generation: object.metadata.generation, hash });
    // Bounded: the oldest entries go first (a Map keeps insertion order).
    if (written.size > MAX_REMEMBERED) written.delete(written.keys().next().value!);
  }
}

/** Replaces each secret value in the text (APIM may repeat a templated value in an error). */
function redact(text: string, secrets: string[] | undefined): string {
  return secrets && secrets.length > 0 ? redactText(text, secrets) : text;
}

function syncedVerdicts(): Verdicts {
  return {
    Ready: ok('Synced', 'in sync with the spec'),
    Accepted: ok('Accepted', 'successfully reconciled'),
    ResolvedRefs: ok('ResolvedRefs', 'every reference was found'),
  };
}

function keyOf(object: SyncedObject): ObjectKey {
  return { namespace: object.metadata.namespace ?? '', name: object.metadata.name };
}
