import fc from 'fast-check';
import { retryAfterSeconds } from './retry-after';

const rate = fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined });

describe('Retry-After of a 503', () => {
  it('is the time the backlog above the low mark takes to drain at the measured rate, in whole seconds', () => {
    expect(retryAfterSeconds(2500, 100, 2000, 30)).toBe(5);
    expect(retryAfterSeconds(2001, 100, 2000, 30)).toBe(1);
    expect(retryAfterSeconds(2000, 0, 2000, 30)).toBe(1);
  });

  it('is the maximum when nothing drains or no rate was measured yet', () => {
    expect(retryAfterSeconds(5000, 0, 2000, 30)).toBe(30);
    expect(retryAfterSeconds(5000, undefined, 2000, 30)).toBe(30);
    expect(retryAfterSeconds(1e9, 1, 2000, 12)).toBe(12);
  });

  it('is always a whole number of seconds from 1 to the maximum', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e9 }), rate, fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 3600 }), (backlog, drain, low, max) => {
      const seconds = retryAfterSeconds(backlog, drain, low, max);
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(max);
    }));
  });

  it('never shortens as the backlog grows, nor lengthens as the drain rate grows', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 1e7 }), fc.double({ min: 0.001, max: 1e5, noNaN: true }), fc.double({ min: 0.001, max: 1e5, noNaN: true }), (a, b, r1, r2) => {
      const [small, large] = a <= b ? [a, b] : [b, a];
      const [slow, fast] = r1 <= r2 ? [r1, r2] : [r2, r1];
      expect(retryAfterSeconds(small, slow, 100, 30)).toBeLessThanOrEqual(retryAfterSeconds(large, slow, 100, 30));
      expect(retryAfterSeconds(large, fast, 100, 30)).toBeLessThanOrEqual(retryAfterSeconds(large, slow, 100, 30));
    }));
  });
});
