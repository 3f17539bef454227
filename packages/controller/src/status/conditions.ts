// The three conditions every kind reports, as pure functions: Ready (in sync with the observed
// generation), Accepted (the last synchronisation was accepted), ResolvedRefs (everything referred to
// was found). A condition keeps its lastTransitionTime while its status does not change, so
// rewriting the same verdict changes nothing in the stored object.
import type { Condition } from '@gko/api';

// AutomationAPIManaged is upstream's marker of objects identified by HRID in APIM (not by legacy UUID).
// Drifted says whether APIM's copy differs from the cluster's, for objects whose drift is reported, not repaired.
// Reconciling and Stalled are the conditions kstatus reads (Flux's health checks, kubectl-based tools):
// True while a failure is being retried, and True once one waits for the object to change.
export type ConditionType =
  'Ready' | 'Accepted' | 'ResolvedRefs' | 'AutomationAPIManaged' | 'Drifted' | 'Reconciling' | 'Stalled';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface ConditionVerdict {
  status: ConditionStatus;
  reason: string;
  message: string;
}

export type Verdicts = Partial<Record<ConditionType, ConditionVerdict>>;

const ORDER: ConditionType[] = [
  'Ready',
  'Accepted',
  'ResolvedRefs',
  'AutomationAPIManaged',
  'Drifted',
  'Reconciling',
  'Stalled',
];

/** The conditions after this verdict; types without a verdict and foreign types are kept as they were. */
export function applyVerdicts(
  current: Condition[] | undefined,
  verdicts: Verdicts,
  generation: number | undefined,
  now: Date,
): Condition[] {
  const previous = new Map((current ?? []).map((c) => [c.type, c]));
  const next: Condition[] = [];
  for (const type of ORDER) {
    const verdict = verdicts[type];
    const old = previous.get(type);
    if (!verdict) {
      if (old) next.push(old);
      continue;
    }
    next.push({
      type,
      status: verdict.status,
      reason: verdict.reason,
      message: verdict.message.slice(0, 32_000),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      lastTransitionTime:
        old && old.status === verdict.status ? old.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  }
  for (const [type, condition] of previous) if (!ORDER.includes(type as ConditionType)) next.push(condition);
  return next;
}

export function findCondition(conditions: Condition[] | undefined, type: ConditionType): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Ready=True for this very generation: the last reconcile of this spec succeeded. */
export function isReadyAt(conditions: Condition[] | undefined, generation: number | undefined): boolean {
  const ready = findCondition(conditions, 'Ready');
  return ready?.status === 'True' && ready.observedGeneration === generation;
}

export const ok = (reason: string, message: string): ConditionVerdict => ({ status: 'True', reason, message });
export const notOk = (reason: string, message: string): ConditionVerdict => ({ status: 'False', reason, message });

/**
 * Reconciling and Stalled for a verdict on Ready, unless given: a steady state (in sync, paused,
 * observed, orphaned) is neither; a failure says which it is itself (see the synchronizer).
 */
export function withProgress(verdicts: Verdicts): Verdicts {
  if (!verdicts.Ready || verdicts.Reconciling || verdicts.Stalled) return verdicts;
  return {
    ...verdicts,
    Reconciling: notOk('Settled', 'nothing is being retried'),
    Stalled: notOk('Settled', 'nothing is waiting for a change of the object'),
  };
}
