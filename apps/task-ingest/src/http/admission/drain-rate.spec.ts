import fc from 'fast-check';
import { nextDrainRate } from './drain-rate';

describe('the drain rate', () => {
  it('is what was appended less what the backlog grew by, per second', () => {
    // 300 events appended in 2 s, backlog up by 100: 200 left it, 100 per second.
    expect(nextDrainRate(undefined, { atMs: 0, backlog: 50, logHead: 1000 }, { atMs: 2000, backlog: 150, logHead: 1300 })).toBe(100);
    // Nothing appended while shedding, backlog down by 400 in 1 s.
    expect(nextDrainRate(undefined, { atMs: 0, backlog: 900, logHead: 5000 }, { atMs: 1000, backlog: 500, logHead: 5000 })).toBe(400);
  });

  it('is unknown before a second sample, and idle intervals or a clock that stood still keep it', () => {
    expect(nextDrainRate(undefined, undefined, { atMs: 0, backlog: 10, logHead: 1 })).toBeUndefined();
    expect(nextDrainRate(42, { atMs: 0, backlog: 0, logHead: 10 }, { atMs: 500, backlog: 0, logHead: 90 })).toBe(42);
    expect(nextDrainRate(42, { atMs: 500, backlog: 10, logHead: 10 }, { atMs: 500, backlog: 20, logHead: 90 })).toBe(42);
  });

  it('moves towards a steady rate and settles on it', () => {
    let rate: number | undefined = 10;
    let before = { atMs: 0, backlog: 1000, logHead: 0 };
    for (let i = 1; i <= 40; i++) {
      const now = { atMs: i * 500, backlog: 1000, logHead: i * 100 }; // 200 events/s in and out
      rate = nextDrainRate(rate, before, now);
      before = now;
    }
    expect(rate).toBeCloseTo(200, 3);
  });

  it('is never negative, whatever the readings', () => {
    const sample = fc.record({ atMs: fc.integer({ min: 0, max: 1e9 }), backlog: fc.integer({ min: 0, max: 1e7 }), logHead: fc.integer({ min: 0, max: 1e9 }) });
    fc.assert(fc.property(fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }), sample, sample, (previous, a, b) => {
      const rate = nextDrainRate(previous, a, b);
      if (rate !== undefined) expect(rate).toBeGreaterThanOrEqual(0);
    }));
  });
});
