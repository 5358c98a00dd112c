import fc from 'fast-check';
import { ConsideredWorkers } from './considered-workers';
import { MAX_CONSIDERED_WORKERS, PASSED_OVER_REASONS } from './reservation-choice';

describe('ConsideredWorkers', () => {
  it('lists the chosen worker first with the rule, then those passed over in the order noted, then those ranked after it', () => {
    const notes = new ConsideredWorkers();
    notes.passOver('WK-offline', 'unavailable');
    notes.passOver('WK-junior', 'worker_expression_false');
    notes.passOver('WK-offline', 'no_capacity');
    expect(notes.choose('order_by', 'WK-chosen', { orderBy: 'worker.level DESC', rankedAfter: ['WK-next'], rankedAfterCount: 1 })).toEqual({
      rule: 'order_by', orderBy: 'worker.level DESC', notListed: 0,
      considered: [
        { workerSid: 'WK-chosen', outcome: 'chosen', reason: 'order_by' },
        { workerSid: 'WK-offline', outcome: 'passed_over', reason: 'unavailable' },
        { workerSid: 'WK-junior', outcome: 'passed_over', reason: 'worker_expression_false' },
        { workerSid: 'WK-next', outcome: 'passed_over', reason: 'ranked_lower' },
      ],
    });
  });

  it('records order_by only for that rule', () => {
    expect(new ConsideredWorkers().choose('longest_idle', 'WK1', { orderBy: 'worker.level' })).toEqual({
      rule: 'longest_idle', considered: [{ workerSid: 'WK1', outcome: 'chosen', reason: 'longest_idle' }], notListed: 0,
    });
  });

  it('never lists more than MAX_CONSIDERED_WORKERS, each worker once, and counts every other worker looked at', () => {
    const sid = fc.integer({ min: 0, max: 40 }).map((n) => `WK${n}`);
    fc.assert(fc.property(
      fc.array(fc.tuple(sid, fc.constantFrom(...PASSED_OVER_REASONS)), { maxLength: 40 }), fc.uniqueArray(sid, { maxLength: 40 }), sid,
      (passedOver, rankedAfterRaw, chosen) => {
        // The matcher never chooses a worker it passed over (those are not among the ranked).
        const others = passedOver.filter(([s]) => s !== chosen);
        const notes = new ConsideredWorkers();
        for (const [workerSid, reason] of others) notes.passOver(workerSid, reason);
        const passedOverSids = new Set(others.map(([s]) => s));
        const rankedAfter = rankedAfterRaw.filter((s) => s !== chosen && !passedOverSids.has(s));
        const choice = notes.choose('longest_idle', chosen, { rankedAfter: rankedAfter.slice(0, MAX_CONSIDERED_WORKERS), rankedAfterCount: rankedAfter.length });
        expect(choice.considered.length).toBeLessThanOrEqual(MAX_CONSIDERED_WORKERS);
        expect(choice.considered[0]).toEqual({ workerSid: chosen, outcome: 'chosen', reason: 'longest_idle' });
        expect(new Set(choice.considered.map((c) => c.workerSid)).size).toBe(choice.considered.length);
        const lookedAt = new Set([...passedOverSids, ...rankedAfter, chosen]);
        expect(choice.considered.length + choice.notListed).toBe(lookedAt.size);
      },
    ));
  });
});
