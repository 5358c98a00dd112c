import fc from 'fast-check';
import { TaskRouterError } from '../errors/taskrouter-error';
import { parseDateTime, statisticsWindow, STATISTICS_HISTORY_MINUTES, windowMinutes } from './statistics-window';

const NOW = new Date('2026-03-10T12:00:30.000Z');

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof TaskRouterError ? { status: error.status, code: error.code, message: error.message } : error;
  }
  return 'accepted';
};

describe('the statistics window', () => {
  it('is the 15 minutes before now by default', () => {
    expect(statisticsWindow({}, NOW)).toEqual({ start: new Date('2026-03-10T11:45:30.000Z'), end: NOW });
  });

  it('counts Minutes back from EndDate, or from now', () => {
    expect(statisticsWindow({ minutes: '60' }, NOW).start).toEqual(new Date('2026-03-10T11:00:30.000Z'));
    expect(statisticsWindow({ minutes: '5', endDate: '2026-03-10T10:00:00Z' }, NOW)).toEqual({
      start: new Date('2026-03-10T09:55:00.000Z'), end: new Date('2026-03-10T10:00:00.000Z'),
    });
  });

  it('takes StartDate over Minutes, and still checks Minutes', () => {
    expect(statisticsWindow({ minutes: '5', startDate: '2026-03-10T08:00:00Z' }, NOW)).toEqual({ start: new Date('2026-03-10T08:00:00.000Z'), end: NOW });
    expect(refusal(() => statisticsWindow({ minutes: '0', startDate: '2026-03-10T08:00:00Z' }, NOW))).toMatchObject({ status: 400, code: 20001 });
  });

  it.each([
    [{ minutes: '0' }, /Minutes must be an integer from 1 to 43200/],
    [{ minutes: '43201' }, /Minutes must be an integer from 1 to 43200, got 43201/],
    [{ minutes: '1.5' }, /Minutes/],
    [{ minutes: '-3' }, /Minutes/],
    [{ startDate: 'yesterday' }, /StartDate must be an ISO 8601 date-time/],
    [{ endDate: '2026-02-30T00:00:00Z' }, /EndDate must be an ISO 8601 date-time/],
    [{ startDate: '2026-03-10T25:00:00Z' }, /StartDate/],
    [{ startDate: '2026-03-10T11:00:00Z', endDate: '2026-03-10T10:00:00Z' }, /StartDate must not be after EndDate/],
    [{ startDate: '2026-02-01T00:00:00Z' }, /past 30 days/],
    [{ endDate: '2026-02-01T00:00:00Z' }, /past 30 days/],
  ])('refuses %j in TaskRouter’s shape', (parameters, message) => {
    expect(refusal(() => statisticsWindow(parameters, NOW))).toMatchObject({ status: 400, code: 20001, message: expect.stringMatching(message) });
  });

  it('goes back exactly 30 days at most', () => {
    expect(statisticsWindow({ minutes: String(STATISTICS_HISTORY_MINUTES) }, NOW).start).toEqual(new Date(NOW.getTime() - 30 * 86_400_000));
  });

  it.each([
    ['2015-07-30T20:00:00Z', '2015-07-30T20:00:00.000Z'],
    ['2015-07-30T20:00:00.123Z', '2015-07-30T20:00:00.123Z'],
    ['2015-07-30T22:00:00+02:00', '2015-07-30T20:00:00.000Z'],
    ['2015-07-30T20:00', '2015-07-30T20:00:00.000Z'],
    ['2015-07-30', '2015-07-30T00:00:00.000Z'],
    ['2016-02-29T00:00:00Z', '2016-02-29T00:00:00.000Z'],
  ])('reads %s as an ISO 8601 date-time', (raw, iso) => {
    expect(parseDateTime('StartDate', raw).toISOString()).toBe(iso);
  });

  it('reads every instant back from its own ISO text (property)', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
      expect(parseDateTime('EndDate', date.toISOString()).getTime()).toBe(date.getTime());
    }));
  });

  it('never answers a window that starts after it ends or before the history (property)', () => {
    fc.assert(fc.property(fc.option(fc.integer({ min: -10, max: 50_000 }).map(String), { nil: undefined }), fc.option(fc.integer({ min: -50_000, max: 50_000 }), { nil: undefined }),
      (minutes, endOffsetMinutes) => {
        const endDate = endOffsetMinutes === undefined ? undefined : new Date(NOW.getTime() + endOffsetMinutes * 60_000).toISOString();
        try {
          const window = statisticsWindow({ minutes, endDate }, NOW);
          expect(window.start.getTime()).toBeLessThanOrEqual(window.end.getTime());
          expect(window.start.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - STATISTICS_HISTORY_MINUTES * 60_000);
        } catch (error) {
          expect(error).toBeInstanceOf(TaskRouterError);
        }
      }));
  });
});

describe('the minutes a window counts', () => {
  const minute = (text: string) => new Date(`2026-03-10T${text}Z`);
  /** The buckets (minute starts) in [from, to). */
  const bucketsOf = (window: { start: Date; end: Date }) => {
    const { from, to } = windowMinutes(window);
    const buckets: number[] = [];
    for (let at = from.getTime(); at < to.getTime(); at += 60_000) buckets.push(at);
    return buckets;
  };

  it('are half-open at the end: [19:00, 20:00] counts 19:00 to 19:59, and [20:00, 21:00] starts at 20:00', () => {
    expect(windowMinutes({ start: minute('19:00:00'), end: minute('20:00:00') })).toEqual({ from: minute('19:00:00'), to: minute('20:00:00') });
    expect(windowMinutes({ start: minute('20:00:00'), end: minute('21:00:00') })).toEqual({ from: minute('20:00:00'), to: minute('21:00:00') });
  });

  it('include the minute in progress when the window ends now, and begin with the first whole minute after a start within one', () => {
    expect(windowMinutes({ start: minute('11:45:30'), end: minute('12:00:30') })).toEqual({ from: minute('11:46:00'), to: minute('12:01:00') });
    expect(bucketsOf({ start: minute('11:45:30.001'), end: minute('12:00:00.001') })).toHaveLength(15);
  });

  it('never count a minute in two adjacent windows, and count every minute of their union (property)', () => {
    const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-01-01T06:00:00Z') });
    fc.assert(fc.property(fc.array(instant, { minLength: 3, maxLength: 3 }), (times) => {
      const [a, b, c] = times.sort((x, y) => x - y).map((t) => new Date(t));
      const first = bucketsOf({ start: a, end: b });
      const second = bucketsOf({ start: b, end: c });
      expect(first.filter((m) => second.includes(m))).toEqual([]);
      expect([...first, ...second]).toEqual(bucketsOf({ start: a, end: c }));
      // A bucket counts where its minute begins: within [start, end).
      for (const m of first) expect(m >= a.getTime() && m < b.getTime()).toBe(true);
    }));
  });
});
