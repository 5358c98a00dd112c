import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { FormReader } from './form-values';

/** The 400 a read is refused with; fails the test if the read succeeds. */
function refusal(read: () => unknown): TaskRouterError {
  try {
    read();
  } catch (error) {
    if (error instanceof TaskRouterError) return error;
    throw error;
  }
  throw new Error('expected the parameter to be refused');
}

describe('reading form parameters', () => {
  describe('booleans', () => {
    it.each(['true', 'TRUE', '1', 'yes', 'Yes', ' true '])('reads %j as true', (raw) => {
      expect(new FormReader({ Available: raw }).boolean('Available')).toBe(true);
    });

    it.each(['false', '0', 'no', 'on', 'y', ''])('reads %j as false, like all other values', (raw) => {
      expect(new FormReader({ Available: raw }).boolean('Available')).toBe(false);
    });

    it('reads an absent boolean as undefined', () => {
      expect(new FormReader({}).boolean('Available')).toBeUndefined();
    });
  });

  describe('integers', () => {
    it('reads an integer within its range, bounds included', () => {
      const form = new FormReader({ Low: '1', High: '86400', Padded: ' 42 ' });
      expect([form.integer('Low', 1, 86_400), form.integer('High', 1, 86_400), form.integer('Padded', 0, 100)]).toEqual([1, 86_400, 42]);
    });

    it.each(['0', '86401', '-3'])('refuses %j outside 1..86400, naming the parameter', (raw) => {
      const error = refusal(() => new FormReader({ TaskReservationTimeout: raw }).integer('TaskReservationTimeout', 1, 86_400));
      expect(error.toBody()).toMatchObject({ status: 400, code: 20001 });
      expect(error.message).toMatch(/TaskReservationTimeout/);
    });

    it.each(['1.5', 'ten', '1e3', '0x10', '+5'])('refuses %j, which is not an integer', (raw) => {
      expect(refusal(() => new FormReader({ Priority: raw }).integer('Priority', 0, 2_147_483_647)).message).toMatch(/Priority must be an integer/);
    });

    it('reads an absent or empty integer as undefined', () => {
      expect([new FormReader({}).integer('Priority', 0, 10), new FormReader({ Priority: '' }).integer('Priority', 0, 10)]).toEqual([undefined, undefined]);
    });
  });

  describe('repeated parameters', () => {
    it('reads every value of a repeated parameter, and comma-joined values', () => {
      const form = new FormReader({ AssignmentStatus: ['pending', 'reserved,assigned'], Single: 'wrapping' });
      expect(form.strings('AssignmentStatus')).toEqual(['pending', 'reserved', 'assigned']);
      expect(form.strings('Single')).toEqual(['wrapping']);
      expect(form.strings('Absent')).toEqual([]);
    });

    it('drops blanks around and between values', () => {
      expect(new FormReader({ Events: ' task.created , ,task.canceled' }).strings('Events')).toEqual(['task.created', 'task.canceled']);
    });

    it('reads the last value when a single value is wanted', () => {
      expect(new FormReader({ FriendlyName: ['first', 'last'] }).string('FriendlyName')).toBe('last');
    });
  });

  describe('choices', () => {
    it('reads a value of the list in any case, returning the canonical spelling', () => {
      expect(new FormReader({ TaskOrder: 'lifo' }).oneOf('TaskOrder', ['FIFO', 'LIFO'] as const)).toBe('LIFO');
    });

    it('refuses a value outside the list, naming the choices', () => {
      expect(refusal(() => new FormReader({ TaskOrder: 'random' }).oneOf('TaskOrder', ['FIFO', 'LIFO'] as const)).message).toMatch(/TaskOrder must be one of FIFO, LIFO/);
    });

    it('reads an absent choice as undefined', () => {
      expect(new FormReader({}).oneOf('TaskOrder', ['FIFO', 'LIFO'] as const)).toBeUndefined();
    });
  });

  describe('required strings and SIDs', () => {
    it('refuses a missing or empty required parameter', () => {
      expect(refusal(() => new FormReader({}).requiredString('FriendlyName')).message).toMatch(/Missing required parameter FriendlyName/);
      expect(refusal(() => new FormReader({ FriendlyName: '' }).requiredString('FriendlyName')).toBody().code).toBe(20001);
    });

    it('reads a SID with the expected prefix, in either case of hex digits', () => {
      const sid = 'WA' + 'aB'.repeat(16);
      expect(new FormReader({ ActivitySid: sid }).sid('ActivitySid', 'WA')).toBe(sid);
    });

    it.each(['WQ' + '0'.repeat(32), 'WA' + '0'.repeat(31), 'WA' + 'g'.repeat(32), 'Offline'])('refuses %j as an Activity SID', (raw) => {
      expect(refusal(() => new FormReader({ ActivitySid: raw }).sid('ActivitySid', 'WA')).message).toMatch(/ActivitySid must be a WA SID/);
    });

    it('tells whether a parameter was given at all', () => {
      const form = new FormReader({ Given: '', Absent: undefined });
      expect([form.has('Given'), form.has('Absent'), form.has('Other')]).toEqual([true, false, false]);
    });
  });
});

describe('reading any integer parameter', () => {
  it('yields an integer within the range, nothing, or a 400 naming the parameter', () => {
    const raw = fc.oneof(fc.string(), fc.integer().map(String), fc.bigInt().map(String), fc.double().map(String));
    fc.assert(fc.property(raw, fc.integer({ min: -100, max: 100 }), fc.nat({ max: 1000 }), (value, min, span) => {
      let read: number | undefined;
      try {
        read = new FormReader({ Timeout: value }).integer('Timeout', min, min + span);
      } catch (error) {
        expect(error).toBeInstanceOf(TaskRouterError);
        expect((error as TaskRouterError).toBody()).toMatchObject({ status: 400, code: 20001 });
        expect((error as Error).message).toMatch(/Timeout/);
        return;
      }
      if (read === undefined) expect(value.trim()).toBe('');
      else {
        expect(Number.isInteger(read)).toBe(true);
        expect(read).toBeGreaterThanOrEqual(min);
        expect(read).toBeLessThanOrEqual(min + span);
      }
    }), { numRuns: 500 });
  });
});
