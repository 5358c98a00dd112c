import fc from 'fast-check';
import { decideAdmission, IN_FLIGHT_RETRY_AFTER_SECONDS, nextShedding, type AdmissionState, type InFlightLimits } from './admission-policy';
import type { RequestKind } from './request-kind';

const limitsArb: fc.Arbitrary<InFlightLimits> = fc.integer({ min: 1, max: 500 }).chain((maxInFlight) =>
  fc.integer({ min: 1, max: maxInFlight }).map((maxCreatesInFlight) => ({ maxInFlight, maxCreatesInFlight })));
const stateArb: fc.Arbitrary<AdmissionState> = fc.record({
  inFlight: fc.integer({ min: 0, max: 600 }), createsInFlight: fc.integer({ min: 0, max: 600 }), shedding: fc.boolean(), retryAfterSeconds: fc.integer({ min: 1, max: 30 }),
}).map((s) => ({ ...s, createsInFlight: Math.min(s.createsInFlight, s.inFlight) }));
const kindArb = fc.constantFrom<RequestKind>('creates-work', 'other');
const marksArb = fc.integer({ min: 0, max: 10_000 }).chain((low) => fc.integer({ min: low + 1, max: low + 10_000 }).map((high) => ({ high, low })));

describe('the admission policy', () => {
  it('admits every request that does not create work while the process has room, whatever the backlog', () => {
    fc.assert(fc.property(stateArb, limitsArb, (state, limits) => {
      const decision = decideAdmission('other', state, limits);
      expect(decision.admit).toBe(state.inFlight < limits.maxInFlight);
    }));
  });

  it('admits a task creation only when not shedding and under both in-flight bounds', () => {
    fc.assert(fc.property(stateArb, limitsArb, (state, limits) => {
      const decision = decideAdmission('creates-work', state, limits);
      expect(decision.admit).toBe(!state.shedding && state.createsInFlight < limits.maxCreatesInFlight && state.inFlight < limits.maxInFlight);
    }));
  });

  it('refuses with 503 for the backlog (with its Retry-After) and 429 for concurrency (Retry-After 1)', () => {
    fc.assert(fc.property(kindArb, stateArb, limitsArb, (kind, state, limits) => {
      const decision = decideAdmission(kind, state, limits);
      if (decision.admit) return;
      if (decision.reason === 'backlog') {
        expect([kind, decision.status, decision.retryAfterSeconds, state.shedding]).toEqual(['creates-work', 503, state.retryAfterSeconds, true]);
      } else {
        expect([decision.status, decision.retryAfterSeconds]).toEqual([429, IN_FLIGHT_RETRY_AFTER_SECONDS]);
      }
    }));
  });

  it('never lets more than maxInFlight requests, or maxCreatesInFlight creations, run at once', () => {
    fc.assert(fc.property(limitsArb, fc.array(fc.oneof(kindArb, fc.constant('finish' as const)), { maxLength: 300 }), (limits, steps) => {
      const running: RequestKind[] = [];
      for (const step of steps) {
        if (step === 'finish') {
          running.shift();
          continue;
        }
        const state = { inFlight: running.length, createsInFlight: running.filter((k) => k === 'creates-work').length, shedding: false, retryAfterSeconds: 1 };
        if (decideAdmission(step, state, limits).admit) running.push(step);
        expect(running.length).toBeLessThanOrEqual(limits.maxInFlight);
        expect(running.filter((k) => k === 'creates-work').length).toBeLessThanOrEqual(limits.maxCreatesInFlight);
      }
    }));
  });

  it('keeps room for what drains the backlog while creations fill their own bound', () => {
    const limits = { maxInFlight: 10, maxCreatesInFlight: 6 };
    const state = { inFlight: 6, createsInFlight: 6, shedding: false, retryAfterSeconds: 1 };
    expect(decideAdmission('creates-work', state, limits)).toMatchObject({ admit: false, status: 429 });
    expect(decideAdmission('other', state, limits)).toEqual({ admit: true });
  });
});

describe('shedding with hysteresis', () => {
  it('sheds at or above the high mark and never at or below the low mark', () => {
    fc.assert(fc.property(marksArb, fc.boolean(), fc.integer({ min: 0, max: 30_000 }), (marks, was, backlog) => {
      const now = nextShedding(was, backlog, marks);
      if (backlog >= marks.high) expect(now).toBe(true);
      if (backlog <= marks.low) expect(now).toBe(false);
      if (backlog > marks.low && backlog < marks.high) expect(now).toBe(was);
    }));
  });

  it('only starts once the backlog reached the high mark and only stops once it came down to the low mark (no flapping)', () => {
    fc.assert(fc.property(marksArb, fc.array(fc.integer({ min: 0, max: 30_000 }), { maxLength: 200 }), (marks, backlogs) => {
      let shedding = false;
      for (const backlog of backlogs) {
        const next = nextShedding(shedding, backlog, marks);
        if (next && !shedding) expect(backlog).toBeGreaterThanOrEqual(marks.high);
        if (!next && shedding) expect(backlog).toBeLessThanOrEqual(marks.low);
        shedding = next;
      }
    }));
  });

  it('stays shedding while a draining backlog is between the marks, and resumes at the low mark', () => {
    const marks = { high: 100, low: 40 };
    const states = [50, 120, 99, 60, 41, 40, 70, 99, 100].reduce<boolean[]>((seen, backlog) => [...seen, nextShedding(seen.at(-1) ?? false, backlog, marks)], []);
    expect(states).toEqual([false, true, true, true, true, false, false, false, true]);
  });
});
