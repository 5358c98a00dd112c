import { badRequest } from '../errors/taskrouter-error';

/** "Historical statistics cover the past 30 days": the furthest back a window may start (docs/limits.md). */
export const STATISTICS_HISTORY_MINUTES = 30 * 24 * 60;
export const DEFAULT_STATISTICS_MINUTES = 15;

/** The interval a cumulative statistics request covers. */
export interface StatisticsWindow {
  readonly start: Date;
  readonly end: Date;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date-time as TaskRouter takes `StartDate`/`EndDate` (`2015-07-30T20:00:00Z`; a date
 * alone is its midnight UTC; no zone is UTC, as "specified in GMT"). Anything else, or a date
 * that does not exist (`2015-02-30`), is refused by name.
 */
export function parseDateTime(name: string, raw: string): Date {
  const match = DATE_TIME.exec(raw.trim());
  const refuse = () => badRequest(`${name} must be an ISO 8601 date-time such as 2015-07-30T20:00:00Z, got '${raw.slice(0, 64)}'`);
  if (!match) throw refuse();
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${offset}`);
  const calendar = new Date(`${year}-${month}-${day}T00:00:00Z`);
  const exists = !Number.isNaN(calendar.getTime()) && calendar.getUTCDate() === Number(day) && calendar.getUTCMonth() + 1 === Number(month);
  if (!exists || Number.isNaN(date.getTime()) || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw refuse();
  return date;
}

/** The query parameters that choose a window, as the request gave them. */
export interface WindowParameters {
  readonly minutes?: string;
  readonly startDate?: string;
  readonly endDate?: string;
}

/**
 * `Minutes` (default 15) back from `EndDate` (default now), or from `StartDate` when it is given
 * (then `Minutes` is not used). Refused with TaskRouter's 400: a `Minutes` that is not an integer
 * from 1 to 43,200, a date that is not one, a start after the end, a start more than 30 days
 * before now. An end in the future is kept: nothing has happened there yet.
 */
export function statisticsWindow(parameters: WindowParameters, now: Date): StatisticsWindow {
  const end = present(parameters.endDate) ? parseDateTime('EndDate', parameters.endDate) : now;
  let start: Date;
  if (present(parameters.startDate)) {
    if (present(parameters.minutes)) minutesOf(parameters.minutes);
    start = parseDateTime('StartDate', parameters.startDate);
  } else {
    const minutes = present(parameters.minutes) ? minutesOf(parameters.minutes) : DEFAULT_STATISTICS_MINUTES;
    start = new Date(end.getTime() - minutes * 60_000);
  }
  if (start.getTime() > end.getTime()) throw badRequest('StartDate must not be after EndDate');
  if (start.getTime() < now.getTime() - STATISTICS_HISTORY_MINUTES * 60_000) {
    throw badRequest('Statistics cover the past 30 days: StartDate (or EndDate minus Minutes) must not be more than 43200 minutes before now (warning 14241)');
  }
  return { start, end };
}

/** A window as the minute buckets see it: the instants from `from` (inclusive) to `to` (exclusive), both minute boundaries. */
export interface WindowMinutes {
  readonly from: Date;
  readonly to: Date;
}

const MINUTE_MS = 60_000;
const minuteAtOrAfter = (at: Date) => new Date(Math.ceil(at.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * The minute buckets a window counts: those whose minute begins at or after its start and before
 * its end, as the instants [from, to). Windows are half-open: adjacent ones ([19:00, 20:00] and
 * [20:00, 21:00]) never count a minute twice, and a window of N minutes counts N buckets. A window
 * that ends now counts the minute in progress, which began before now. Waits (SplitByWaitTime)
 * count in the same minutes as the buckets, and activity durations are measured over the same
 * instants (up to now), so every figure of one window covers the same time.
 */
export function windowMinutes(window: StatisticsWindow): WindowMinutes {
  return { from: minuteAtOrAfter(window.start), to: minuteAtOrAfter(window.end) };
}

function minutesOf(raw: string): number {
  if (!/^\d{1,6}$/.test(raw.trim())) throw badRequest(`Minutes must be an integer from 1 to ${STATISTICS_HISTORY_MINUTES}, got '${raw.slice(0, 64)}'`);
  const minutes = Number(raw.trim());
  if (minutes < 1 || minutes > STATISTICS_HISTORY_MINUTES) throw badRequest(`Minutes must be an integer from 1 to ${STATISTICS_HISTORY_MINUTES}, got ${minutes}`);
  return minutes;
}

const present = (value: string | undefined): value is string => value !== undefined && value !== '';
