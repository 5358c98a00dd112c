import fc from 'fast-check';
import { decisionsTouching, DependsOnLostDecisionError, planBatch } from './batch-append-plan';
import { WrongExpectedVersionError } from './errors';
import { versionCheck, type StreamAppend } from './events';

const append = (streamId: string, expectedVersion: number | 'any', count = 1): StreamAppend => ({
  streamId, expectedVersion, events: Array.from({ length: count }, (_, i) => ({ type: 'E', data: { i } })),
});

describe('planBatch', () => {
  it('merges decisions that chain on one stream into one append expecting the first version', () => {
    const plan = planBatch([{ appends: [append('task:a', 3, 2)] }, { appends: [append('task:a', 5), append('worker:w', 7)] }]);

    expect(plan.included).toEqual([0, 1]);
    expect(plan.lost.size).toBe(0);
    expect(plan.merged.map((m) => [m.streamId, m.expectedVersion, m.events.length, m.decisionOf])).toEqual([
      ['task:a', 3, 3, [0, 0, 1]], ['worker:w', 7, 1, [1]],
    ]);
  });

  it('leaves out a decision that read a stream at the version an earlier decision of the batch replaced', () => {
    const plan = planBatch([{ appends: [append('task:a', 3)] }, { appends: [append('task:a', 3), append('worker:w', 1)] }, { appends: [append('worker:w', 1)] }]);

    expect(plan.included).toEqual([0]);
    expect(plan.lost.get(1)).toBeInstanceOf(WrongExpectedVersionError);
    // It may have read what the lost one would have written to the worker: decided again, alone.
    expect(plan.lost.get(2)).toBeInstanceOf(DependsOnLostDecisionError);
    expect(plan.merged.map((m) => m.streamId)).toEqual(['task:a']);
  });

  it('takes down every later decision sharing a stream with one that lost, and only those', () => {
    const lostFirst = new Map<number, Error>([[0, new WrongExpectedVersionError('task:a', 3, 4)]]);
    const plan = planBatch([
      { appends: [append('task:a', 3), append('worker:w', 1)] },
      { appends: [append('task:a', 4)] },
      { appends: [append('worker:w', 2), append('task:b', 0)] },
      { appends: [append('task:b', 1)] },
      { appends: [append('task:c', 0)] },
    ], lostFirst);

    expect(plan.included).toEqual([4]);
    expect([...plan.lost.keys()].sort()).toEqual([0, 1, 2, 3]);
    expect(plan.lost.get(0)).toBe(lostFirst.get(0));
    expect(plan.lost.get(1)).toBeInstanceOf(DependsOnLostDecisionError);
    expect(plan.lost.get(3)).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('after an append expecting any version, an exact expectation on that stream cannot be checked and loses', () => {
    const plan = planBatch([{ appends: [append('log:x', 'any')] }, { appends: [append('log:x', 'any')] }, { appends: [append('log:x', 2)] }]);

    expect(plan.included).toEqual([0, 1]);
    expect(plan.merged).toMatchObject([{ streamId: 'log:x', expectedVersion: 'any', decisionOf: [0, 1] }]);
    expect(plan.lost.get(2)).toBeInstanceOf(WrongExpectedVersionError);
  });

  it('a decision that lost does not take down later decisions on the streams it only checked', () => {
    const plan = planBatch([
      { appends: [append('workflow:w', 2)] },
      { appends: [append('task:a', 0), versionCheck('workflow:w', 2)] },
      { appends: [append('task:b', 0), versionCheck('workflow:w', 3), versionCheck('workspace:s', 1)] },
      { appends: [append('task:c', 0), versionCheck('workspace:s', 1)] },
    ]);
    expect(plan.included).toEqual([0, 2, 3]);
    expect(plan.lost.get(1)).toBeInstanceOf(WrongExpectedVersionError);
    expect(plan.merged.map((m) => [m.streamId, m.expectedVersion, m.events.length])).toEqual([
      ['workflow:w', 2, 1], ['task:b', 0, 1], ['workspace:s', 1, 0], ['task:c', 0, 1],
    ]);
  });

  it('counts the decisions that only checked a stream among those it touches', () => {
    const plan = planBatch([
      { appends: [append('task:a', 0), versionCheck('workflow:w', 4)] },
      { appends: [append('task:b', 0), versionCheck('workflow:w', 4)] },
      { appends: [append('workflow:w', 4)] },
    ]);
    expect(plan.included).toEqual([0, 1, 2]);
    expect([...decisionsTouching(plan, new Set(['workflow:w']))].sort()).toEqual([0, 1, 2]);
    expect([...decisionsTouching(plan, new Set(['task:b']))]).toEqual([1]);
  });

  it('refuses a malformed decision as a programming error', () => {
    expect(() => planBatch([{ appends: [append('task:a', 0), append('task:a', 1)] }])).toThrow(/appears twice/);
  });

  it('property: the plan is what committing the included decisions one by one, in order, would write', () => {
    const streams = ['task:a', 'task:b', 'worker:w'];
    const decision = fc.uniqueArray(fc.record({ stream: fc.constantFrom(...streams), expected: fc.integer({ min: 0, max: 4 }), count: fc.integer({ min: 1, max: 3 }) }), {
      selector: (a) => a.stream, minLength: 1, maxLength: 3,
    });
    fc.assert(fc.property(fc.array(decision, { maxLength: 12 }), fc.array(fc.nat(11), { maxLength: 3 }), (raw, excludedIndexes) => {
      const decisions = raw.map((appends) => ({ appends: appends.map((a) => append(a.stream, a.expected, a.count)) }));
      const excluded = new Map(excludedIndexes.filter((i) => i < decisions.length).map((i) => [i, new Error('lost earlier')]));
      const plan = planBatch(decisions, excluded);

      // Every decision is either included or lost, never both.
      expect(plan.included.length + plan.lost.size).toBe(decisions.length);
      for (const i of plan.included) expect(plan.lost.has(i)).toBe(false);
      // Replaying the included decisions alone against heads starting where each merged append expects: every expectation holds.
      const heads = new Map(plan.merged.map((m) => [m.streamId, m.expectedVersion as number]));
      for (const i of plan.included) {
        for (const a of decisions[i].appends) {
          expect(a.expectedVersion).toBe(heads.get(a.streamId));
          heads.set(a.streamId, (heads.get(a.streamId) as number) + a.events.length);
        }
      }
      // No included decision shares a stream with an earlier lost one.
      for (const i of plan.included) {
        for (const [lost] of plan.lost) {
          if (lost > i) continue;
          const shared = decisions[lost].appends.some((a) => decisions[i].appends.some((b) => b.streamId === a.streamId));
          expect(shared).toBe(false);
        }
      }
    }));
  });
});
