import { describe, expect, it } from 'vitest';
import type { Condition } from '@gko/api';
import { applyVerdicts, findCondition, isReadyAt, notOk, ok } from './conditions.ts';

const EARLIER = '2024-01-01T00:00:00Z';
const now = new Date('2024-06-01T12:34:56.789Z');

const condition = (type: string, status: Condition['status'], extra: Partial<Condition> = {}): Condition => ({
  type,
  status,
  reason: 'Before',
  message: 'before',
  lastTransitionTime: EARLIER,
  observedGeneration: 1,
  ...extra,
});

describe('applying verdicts to conditions', () => {
  it('writes a new condition with the verdict, the generation and the time to the second', () => {
    expect(applyVerdicts(undefined, { Ready: ok('Synced', 'in sync') }, 3, now)).toEqual([
      {
        type: 'Ready',
        status: 'True',
        reason: 'Synced',
        message: 'in sync',
        observedGeneration: 3,
        lastTransitionTime: '2024-06-01T12:34:56Z',
      },
    ]);
  });

  it('keeps the lastTransitionTime while the status does not change, but takes the new reason, message and generation', () => {
    const [ready] = applyVerdicts([condition('Ready', 'False')], { Ready: notOk('Other', 'still failing') }, 2, now);
    expect(ready).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'Other',
      message: 'still failing',
      observedGeneration: 2,
      lastTransitionTime: EARLIER,
    });
  });

  it('moves the lastTransitionTime when the status changes', () => {
    const [ready] = applyVerdicts([condition('Ready', 'False')], { Ready: ok('Synced', '') }, 1, now);
    expect(ready?.status).toBe('True');
    expect(ready?.lastTransitionTime).toBe('2024-06-01T12:34:56Z');

    const [unknown] = applyVerdicts(
      [condition('Ready', 'True')],
      { Ready: { ...ok('X', ''), status: 'Unknown' } },
      1,
      now,
    );
    expect(unknown?.lastTransitionTime).toBe('2024-06-01T12:34:56Z');
  });

  it('leaves observedGeneration out when the generation is unknown', () => {
    const [ready] = applyVerdicts([condition('Ready', 'True')], { Ready: ok('Synced', '') }, undefined, now);
    expect(ready).not.toHaveProperty('observedGeneration');
  });

  it('keeps the conditions without a verdict and the foreign ones as they were', () => {
    const accepted = condition('Accepted', 'False', { reason: 'Kept', observedGeneration: 1 });
    const foreign = condition('Progressing', 'True', { reason: 'Theirs' });
    const next = applyVerdicts([foreign, accepted], { Ready: ok('Synced', '') }, 7, now);
    expect(next.find((c) => c.type === 'Accepted')).toBe(accepted);
    expect(next.find((c) => c.type === 'Progressing')).toBe(foreign);
    expect(next).toHaveLength(3);
  });

  it('lists our conditions in a fixed order, then the foreign ones in their order', () => {
    const current = [
      condition('Zeta', 'True'),
      condition('AutomationAPIManaged', 'True'),
      condition('Accepted', 'True'),
      condition('Alpha', 'True'),
    ];
    const next = applyVerdicts(current, { ResolvedRefs: ok('Resolved', ''), Ready: ok('Synced', '') }, 1, now);
    expect(next.map((c) => c.type)).toEqual([
      'Ready',
      'Accepted',
      'ResolvedRefs',
      'AutomationAPIManaged',
      'Zeta',
      'Alpha',
    ]);
  });

  it('writes the same conditions again from the same verdicts, so that nothing changes in the stored object', () => {
    const verdicts = { Ready: ok('Synced', 'ok'), Accepted: ok('Accepted', ''), ResolvedRefs: ok('Resolved', '') };
    const first = applyVerdicts(undefined, verdicts, 4, now);
    const second = applyVerdicts(first, verdicts, 4, new Date('2025-01-01T00:00:00Z'));
    expect(second).toEqual(first);
  });

  it('cuts a very long message down to 32000 characters', () => {
    const [ready] = applyVerdicts(undefined, { Ready: notOk('Failed', 'x'.repeat(40_000)) }, 1, now);
    expect(ready?.message).toHaveLength(32_000);
  });

  it('does not change the conditions it was given', () => {
    const current = [condition('Ready', 'False')];
    const copy = structuredClone(current);
    applyVerdicts(current, { Ready: ok('Synced', '') }, 2, now);
    expect(current).toEqual(copy);
  });
});

describe('finding a condition', () => {
  it('finds it by type, or nothing', () => {
    const accepted = condition('Accepted', 'True');
    expect(findCondition([condition('Ready', 'True'), accepted], 'Accepted')).toBe(accepted);
    expect(findCondition([accepted], 'Ready')).toBeUndefined();
    expect(findCondition(undefined, 'Ready')).toBeUndefined();
  });
});

describe('being ready at a generation', () => {
  it('holds when Ready is True for that very generation', () => {
    expect(isReadyAt([condition('Ready', 'True', { observedGeneration: 5 })], 5)).toBe(true);
  });

  it('does not hold for another generation', () => {
    expect(isReadyAt([condition('Ready', 'True', { observedGeneration: 4 })], 5)).toBe(false);
  });

  it('does not hold when Ready is False or Unknown', () => {
    expect(isReadyAt([condition('Ready', 'False', { observedGeneration: 5 })], 5)).toBe(false);
    expect(isReadyAt([condition('Ready', 'Unknown', { observedGeneration: 5 })], 5)).toBe(false);
  });

  it('does not hold without a Ready condition, whatever the others say', () => {
    expect(isReadyAt(undefined, 5)).toBe(false);
    expect(isReadyAt([condition('Accepted', 'True', { observedGeneration: 5 })], 5)).toBe(false);
  });
});
