/**
 * What one instance is given (service/instances.ts): its own unit as the obligation's only assignee,
 * not the directive's whole audience. At a national directive's size (3,334 units × 30 obligations)
 * the list was 40 KB of every instance's input, most of what a deployment wrote to Temporal; and a
 * unit added to or dropped from an obligation amended every other unit's instance.
 */
import { describe, expect, it } from 'vitest';
import { syntheticPlan } from '../../bench/synthetic-plan.js';
import type { Plan } from '../../compiler/plan.js';
import { diff } from '../../service/deploy.js';
import { amendSignal, instanceInput, sliceKey } from '../../service/instances.js';

const national = syntheticPlan(100_000, 'national', 3_334);

describe("an instance's input", () => {
  it('names its own unit as the only assignee, and stays small at national scale', () => {
    const o = national.obligations[5]!;
    const input = instanceInput(national, o, 'unit-1234');
    expect(input.obligation.assignees).toEqual(['unit-1234']);
    expect(input.obligation).toEqual({ ...o, assignees: ['unit-1234'] });
    expect(JSON.stringify(input).length).toBeLessThan(2_000);
    expect(amendSignal(national, o, 'unit-1234').obligation.assignees).toEqual(['unit-1234']);
  });

  it('a unit added to an obligation starts its instance and amends no other', () => {
    const before = syntheticPlan(60, 'province', 6);
    const [first, ...rest] = before.obligations;
    const after: Plan = { ...before, obligations: [{ ...first!, assignees: [...first!.assignees, 'unit-new'] }, ...rest], units: { ...before.units, 'unit-new': { id: 'unit-new', name: { vi: 'Mới' }, kind: 'district' } } };
    const { ops, unchanged } = diff(after, before);
    expect(ops.map((op) => `${op.kind} ${'instance' in op ? op.instance.workflowId : op.workflowId}`)).toEqual([`start chithi/province/${first!.id}/unit-new`]);
    expect(unchanged).toBe(60);
    expect(sliceKey(after, after.obligations[0]!, 'unit-000')).toBe(sliceKey(before, first!, 'unit-000'));
  });

  it('a unit dropped from an obligation is withdrawn and amends no other', () => {
    const before = syntheticPlan(60, 'province', 6);
    const [first, ...rest] = before.obligations;
    const after: Plan = { ...before, obligations: [{ ...first!, assignees: first!.assignees.filter((u) => u !== 'unit-003') }, ...rest] };
    const { ops, unchanged } = diff(after, before);
    expect(ops.map((op) => op.kind)).toEqual(['withdraw']);
    expect(unchanged).toBe(59);
  });
});
