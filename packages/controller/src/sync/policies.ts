// What the management policies of an object's annotations (see @gko/api policies.ts) make the
// synchronisation report: pure verdicts and messages, the synchronizer doing the rest.
import { DELETION_POLICY_ANNOTATION, DRIFT_ANNOTATION, RECONCILE_ANNOTATION } from '@gko/api';
import { notOk, ok, type Verdicts } from '../status/conditions.ts';

export const PAUSED_MESSAGE = `${RECONCILE_ANNOTATION} is paused: nothing is written to APIM or to the gateways for this object (its deletion waits too); remove the annotation to resume`;

export const pausedVerdicts = (): Verdicts => ({ Ready: notOk('Paused', PAUSED_MESSAGE) });

export function observedVerdicts(found: boolean, what: string): Verdicts {
  return found
    ? {
        Ready: ok(
          'Observed',
          `${what} read from APIM into the status; nothing is written while ${RECONCILE_ANNOTATION} is observe`,
        ),
      }
    : { Ready: notOk('NotInApim', `${what} is not in APIM: nothing to observe (${RECONCILE_ANNOTATION}: observe)`) };
}

export const observeUnsupported = (kind: string): Verdicts => ({
  Ready: notOk(
    'ObserveUnsupported',
    `a ${kind} has no copy in APIM to observe; nothing is written while ${RECONCILE_ANNOTATION} is observe`,
  ),
});

export const orphanMessage = (why: 'orphan' | 'observe') =>
  why === 'orphan'
    ? `left in APIM as it is (${DELETION_POLICY_ANNOTATION}: orphan)`
    : `left in APIM as it is: it was only observed (${RECONCILE_ANNOTATION}: observe)`;

export function driftVerdicts(differences: string[]): Verdicts {
  return differences.length > 0
    ? {
        Drifted: ok(
          'DriftDetected',
          `APIM's copy differs in ${differences.join(', ')}; reported, not repaired (${DRIFT_ANNOTATION}: report)`,
        ),
      }
    : { Drifted: notOk('InSync', "APIM's copy is as the cluster declares it") };
}
