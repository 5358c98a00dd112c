import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { parseSplitByWaitTime, renderWaitSplits, splitByWaitTime } from './split-by-wait-time';

describe('SplitByWaitTime', () => {
  it('reads comma-separated seconds, sorted, once each', () => {
    expect(parseSplitByWaitTime('30, 5,30')).toEqual([5, 30]);
    expect(parseSplitByWaitTime(undefined)).toEqual([]);
    expect(parseSplitByWaitTime('')).toEqual([]);
  });

  it.each(['5,x', '-1', '1.5', '5,,6', '2592001', '1,2,3,4,5,6,7,8,9,10,11'])('refuses %s with a 400', (raw) => {
    expect(() => parseSplitByWaitTime(raw)).toThrow(TaskRouterError);
    expect(() => parseSplitByWaitTime(raw)).toThrow(/SplitByWaitTime must be a comma-separated list/);
  });

  it('counts a wait of at most the threshold below it, a longer one above', () => {
    const splits = splitByWaitTime([5, 30], [
      { kind: 'accepted', waitMs: 5_000 }, { kind: 'accepted', waitMs: 5_001 }, { kind: 'canceled', waitMs: 40_000 }, { kind: 'canceled', waitMs: 0 },
    ]);
    expect(renderWaitSplits(splits)).toEqual({
      5: { below: { tasks_canceled: 1, reservations_accepted: 1 }, above: { tasks_canceled: 1, reservations_accepted: 1 } },
      30: { below: { tasks_canceled: 1, reservations_accepted: 2 }, above: { tasks_canceled: 1, reservations_accepted: 0 } },
    });
  });

  it('puts every sample on exactly one side of every threshold, fewer above a higher one (property)', () => {
    const sample = fc.record({ kind: fc.constantFrom('accepted' as const, 'canceled' as const), waitMs: fc.integer({ min: 0, max: 10_000_000 }) });
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 10 }), fc.array(sample), (thresholds, samples) => {
      const splits = splitByWaitTime([...thresholds].sort((a, b) => a - b), samples);
      for (const split of splits) {
        expect(split.below.reservationsAccepted + split.above.reservationsAccepted).toBe(samples.filter((s) => s.kind === 'accepted').length);
        expect(split.below.tasksCanceled + split.above.tasksCanceled).toBe(samples.filter((s) => s.kind === 'canceled').length);
      }
      for (let i = 1; i < splits.length; i++) expect(splits[i].above.reservationsAccepted).toBeLessThanOrEqual(splits[i - 1].above.reservationsAccepted);
    }));
  });
});
