// The `taskrouter.*` time-of-day variables, computed from an instant the caller passes
// in (the library never reads the clock). TaskRouter documents them in UTC; a time zone
// (IANA name) or a fixed offset in minutes may be given for deployments that want local time.
//   currentTime  integer HHMM, 24-hour (documented as an integer)
//   currentHour  string "HH" (documented as a string; compares with numbers as a number)
//   currentMin   integer minute
//   dayOfWeek    Mon Tue Wed Thu Fri Sat Sun

export interface TimeOfDayVariables {
  readonly currentTime: number;
  readonly currentHour: string;
  readonly currentMin: number;
  readonly dayOfWeek: 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** `zone`: 'UTC' (default), an IANA zone such as 'Europe/Paris', or an offset in minutes east of UTC. */
export function timeOfDayVariables(instant: Date, zone: string | number = 'UTC'): TimeOfDayVariables {
  const time = instant.getTime();
  if (!Number.isFinite(time)) throw new RangeError('timeOfDayVariables needs a valid Date');
  const { hour, minute, day } = typeof zone === 'number' ? wallClockAtOffset(time, zone) : wallClockInZone(time, zone);
  return {
    currentTime: hour * 100 + minute,
    currentHour: String(hour).padStart(2, '0'),
    currentMin: minute,
    dayOfWeek: DAYS[day],
  };
}

interface WallClock {
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday. */
  readonly day: number;
}

function wallClockAtOffset(time: number, offsetMinutes: number): WallClock {
  const shifted = new Date(time + offsetMinutes * 60_000);
  return { hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), day: shifted.getUTCDay() };
}

function wallClockInZone(time: number, timeZone: string): WallClock {
  if (timeZone.toUpperCase() === 'UTC') return wallClockAtOffset(time, 0);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short' }).formatToParts(time);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return { hour: Number(part('hour')), minute: Number(part('minute')), day: DAYS.indexOf(part('weekday') as (typeof DAYS)[number]) };
}
