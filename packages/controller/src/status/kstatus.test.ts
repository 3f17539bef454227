// The conditions of every synchronised kind, read as kstatus reads custom resources (the library
// behind Flux's health checks and `kubectl` tools built on cli-utils): Terminating while deleted; In
// progress while status.observedGeneration lags metadata.generation or Reconciling is True; Failed
// while Stalled is True; Current otherwise. The rules are written out here, as kstatus documents
// them, and applied to what the synchronizer records in each state.
import { describe, expect, it } from 'vitest';
import type { Condition } from '@gko/api';
import { applyVerdicts, notOk, ok, withProgress, type Verdicts } from './conditions.ts';

type KStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating';

function kstatus(object: {
  metadata: { generation: number; deletionTimestamp?: string };
  status: { observedGeneration?: number; conditions: Condition[] };
}): KStatus {
  if (object.metadata.deletionTimestamp) return 'Terminating';
  const { observedGeneration, conditions } = object.status;
  if (observedGeneration !== undefined && observedGeneration !== object.metadata.generation) return 'InProgress';
  const isTrue = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (isTrue('Reconciling')) return 'InProgress';
  if (isTrue('Stalled')) return 'Failed';
  return 'Current';
}

const NOW = new Date('2026-12-07T00:00:00Z');
const recorded = (verdicts: Verdicts, generation = 2, observed = 2) => ({
  metadata: { generation },
  status: { observedGeneration: observed, conditions: applyVerdicts([], withProgress(verdicts), observed, NOW) },
});

describe('conditions as kstatus reads them', () => {
  it('in sync, paused or observed: Current', () => {
    expect(kstatus(recorded({ Ready: ok('Synced', '') }))).toBe('Current');
    expect(kstatus(recorded({ Ready: notOk('Paused', '') }))).toBe('Current');
    expect(kstatus(recorded({ Ready: ok('Observed', '') }))).toBe('Current');
  });

  it('a failure retried with backoff (APIM down, a reference not there yet): InProgress', () => {
    const failed = notOk('RefNotFound', 'spec.api: ApiV4Definition a/b does not exist');
    const verdicts: Verdicts = {
      Ready: failed,
      Reconciling: ok('RefNotFound', 'retried'),
      Stalled: notOk('RefNotFound', 'retried'),
    };
    expect(kstatus(recorded(verdicts))).toBe('InProgress');
  });

  it('a failure that waits for the object to change (refused spec): Failed', () => {
    const refused = notOk('InvalidSpec', 'refused');
    const verdicts: Verdicts = {
      Ready: refused,
      Reconciling: notOk('InvalidSpec', 'not retried'),
      Stalled: ok('InvalidSpec', 'not retried'),
    };
    expect(kstatus(recorded(verdicts))).toBe('Failed');
  });

  it('a new generation not yet reconciled: InProgress, whatever the conditions say', () => {
    expect(kstatus(recorded({ Ready: ok('Synced', '') }, 3, 2))).toBe('InProgress');
  });

  it('a success after a failure clears both', () => {
    const before = applyVerdicts(
      [],
      { Ready: notOk('X', ''), Reconciling: ok('X', ''), Stalled: notOk('X', '') },
      1,
      NOW,
    );
    const after = applyVerdicts(before, withProgress({ Ready: ok('Synced', '') }), 1, NOW);
    expect(kstatus({ metadata: { generation: 1 }, status: { observedGeneration: 1, conditions: after } })).toBe(
      'Current',
    );
  });
});
