import fc from 'fast-check';
import { compareWaitingTasks, MAX_ENTERED_AT, MAX_PRIORITY, waitingTaskMember, waitingTaskScore } from './waiting-task-order';
import type { WaitingTask } from './waiting-task';

// What Redis does with a sorted set: ascending score, then ascending member bytes.
function redisOrder(a: WaitingTask, b: WaitingTask): number {
  const scoreA = waitingTaskScore(a.priority);
  const scoreB = waitingTaskScore(b.priority);
  if (scoreA !== scoreB) return scoreA - scoreB;
  const memberA = Buffer.from(waitingTaskMember(a.enteredAt, a.taskSid));
  const memberB = Buffer.from(waitingTaskMember(b.enteredAt, b.taskSid));
  return Buffer.compare(memberA, memberB);
}

const task = fc.record({
  taskSid: fc.stringMatching(/^WT[0-9a-f]{32}$/),
  priority: fc.oneof(fc.integer({ min: 0, max: MAX_PRIORITY }), fc.integer({ min: 0, max: 3 })),
  enteredAt: fc.oneof(fc.integer({ min: 0, max: MAX_ENTERED_AT }), fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_010 })),
  channel: fc.constant('voice'),
});

describe('waiting task order', () => {
  it('sorted-set order (score, then member bytes) is highest priority first, then oldest, then task SID', () => {
    fc.assert(
      fc.property(fc.array(task, { maxLength: 30 }), (tasks) => {
        const bySortedSet = [...tasks].sort(redisOrder).map((t) => t.taskSid + t.enteredAt);
        const byRule = [...tasks].sort(compareWaitingTasks).map((t) => t.taskSid + t.enteredAt);
        expect(bySortedSet).toEqual(byRule);
      }),
    );
  });

  it('keeps priority and age exact at their extremes', () => {
    expect(waitingTaskScore(MAX_PRIORITY)).toBe(-2147483647);
    expect(waitingTaskScore(0)).toBe(0);
    expect(Object.is(waitingTaskScore(0), -0)).toBe(false);
    expect(waitingTaskMember(MAX_ENTERED_AT, 'WT1')).toBe('ffffffffffff:WT1');
    expect(waitingTaskMember(1_700_000_000_000, 'WT1')).toBe('018bcfe56800:WT1');
  });

  it('rejects priorities and times it cannot order exactly', () => {
    expect(() => waitingTaskScore(-1)).toThrow(/priority/);
    expect(() => waitingTaskScore(MAX_PRIORITY + 1)).toThrow(/priority/);
    expect(() => waitingTaskScore(1.5)).toThrow(/priority/);
    expect(() => waitingTaskMember(-1, 'WT1')).toThrow(/enteredAt/);
    expect(() => waitingTaskMember(MAX_ENTERED_AT + 1, 'WT1')).toThrow(/enteredAt/);
    expect(() => waitingTaskMember(1, '')).toThrow(/taskSid/);
  });
});
