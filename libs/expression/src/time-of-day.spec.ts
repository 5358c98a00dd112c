import { compileExpression } from './compiler';
import { timeOfDayVariables } from './time-of-day';

describe('time-of-day variables', () => {
  it('computes them in UTC by default', () => {
    expect(timeOfDayVariables(new Date('2024-03-15T08:05:30Z'))).toEqual({ currentTime: 805, currentHour: '08', currentMin: 5, dayOfWeek: 'Fri' });
    expect(timeOfDayVariables(new Date('2024-03-17T23:59:59.999Z'))).toEqual({ currentTime: 2359, currentHour: '23', currentMin: 59, dayOfWeek: 'Sun' });
  });

  it('shifts by a fixed offset in minutes', () => {
    expect(timeOfDayVariables(new Date('2024-03-15T23:30:00Z'), 90)).toEqual({ currentTime: 100, currentHour: '01', currentMin: 0, dayOfWeek: 'Sat' });
    expect(timeOfDayVariables(new Date('2024-03-15T00:30:00Z'), -60)).toMatchObject({ currentTime: 2330, dayOfWeek: 'Thu' });
  });

  it('uses an IANA time zone, daylight saving included', () => {
    expect(timeOfDayVariables(new Date('2024-01-15T12:00:00Z'), 'Europe/Paris')).toMatchObject({ currentTime: 1300, dayOfWeek: 'Mon' });
    expect(timeOfDayVariables(new Date('2024-07-15T12:00:00Z'), 'Europe/Paris')).toMatchObject({ currentTime: 1400, currentHour: '14' });
    expect(timeOfDayVariables(new Date('2024-07-15T02:00:00Z'), 'America/New_York')).toMatchObject({ currentTime: 2200, dayOfWeek: 'Sun' });
  });

  it('refuses an invalid date', () => {
    expect(() => timeOfDayVariables(new Date('nope'))).toThrow(RangeError);
  });

  it('feeds the documented time-of-day expression', () => {
    const hours = compileExpression(
      "(taskrouter.dayOfWeek IN ['Mon', 'Tue', 'Thu'] AND taskrouter.currentTime > 800 AND taskrouter.currentTime < 1730) OR " +
        "(taskrouter.dayOfWeek IN ['Wed', 'Fri'] AND taskrouter.currentTime > 900 AND taskrouter.currentTime < 1830) OR " +
        "(taskrouter.dayOfWeek = 'Sat' AND taskrouter.currentTime > 1100 AND taskrouter.currentTime < 1530)",
      { bareKeys: 'task' },
    );
    const at = (iso: string) => hours.evaluate({ task: {}, taskrouter: { ...timeOfDayVariables(new Date(iso)) } });
    expect(at('2024-03-15T17:59:00Z')).toBe(true); // Friday 17:59
    expect(at('2024-03-15T18:30:00Z')).toBe(false); // Friday 18:30
    expect(at('2024-03-16T12:00:00Z')).toBe(true); // Saturday noon
    expect(at('2024-03-17T12:00:00Z')).toBe(false); // Sunday
    expect(compileExpression('taskrouter.currentHour > 8 AND taskrouter.currentHour < 18', { bareKeys: 'task' }).evaluate({ taskrouter: { ...timeOfDayVariables(new Date('2024-03-15T09:00:00Z')) } })).toBe(true);
  });
});
