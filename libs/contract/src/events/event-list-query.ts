import { badRequest } from '../errors/taskrouter-error';
import type { FormReader } from '../form/form-values';
import { SID_PREFIXES } from '../sids/sid';

/** TaskRouter keeps Events this long (reference §10.3); older ones are never listed or fetched. */
export const EVENT_RETENTION_MINUTES = 43_200;
export const DEFAULT_EVENT_MINUTES = 15;

export interface EventListFilter {
  /** The window, inclusive at both ends, in epoch milliseconds. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly eventType?: string;
  readonly taskSid?: string;
  readonly workerSid?: string;
  readonly reservationSid?: string;
  readonly taskQueueSid?: string;
  readonly workflowSid?: string;
  /** A TaskChannel's unique name or SID. */
  readonly taskChannel?: string;
  readonly sid?: string;
}

export interface EventListQuery {
  readonly filter: EventListFilter;
  /** The filters as the page links repeat them: the window as absolute dates, so following them never shifts it. */
  readonly echo: Record<string, string | undefined>;
}

/** ISO 8601: a date, or a date and time (seconds and fraction optional) with `Z` or an offset; nothing else `Date.parse` would guess at. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function isoDate(query: FormReader, name: string): number | undefined {
  const raw = query.string(name);
  if (raw === undefined || raw === '') return undefined;
  const match = ISO.exec(raw.trim());
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone] = match ?? [];
  const ms = match ? Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${normalZone(zone)}`) : Number.NaN;
  // Date.parse rolls 2024-02-30 over to March: a date it changes is not a date.
  if (Number.isNaN(ms) || new Date(ms + zoneOffsetMs(zone)).toISOString().slice(0, 10) !== `${y}-${mo}-${d}` || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw badRequest(`${name} must be an ISO 8601 date-time such as 2024-01-02T03:04:05Z, got '${raw}'`);
  }
  return ms;
}

function normalZone(zone: string | undefined): string {
  if (!zone || zone.toUpperCase() === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const z = normalZone(zone);
  const sign = z.startsWith('-') ? -1 : 1;
  return sign * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6))) * 60_000;
}

/**
 * The list's filters, refused by name when malformed (TaskRouter's 400, code 20001): dates that
 * are not ISO 8601, `Minutes` outside 1..43,200, SIDs of the wrong shape, `StartDate` with
 * `Minutes`, a window that ends before it starts. The window is `StartDate` (or `Minutes` before
 * now, 15 by default) to `EndDate` (or now), never older than the 30 days Events are kept.
 */
export function readEventListQuery(query: FormReader, nowMs: number): EventListQuery {
  const minutes = query.integer('Minutes', 1, EVENT_RETENTION_MINUTES);
  const start = isoDate(query, 'StartDate');
  const end = isoDate(query, 'EndDate');
  if (start !== undefined && minutes !== undefined) throw badRequest('Give StartDate or Minutes, not both');
  const toMs = end ?? nowMs;
  const fromMs = Math.max(start ?? nowMs - (minutes ?? DEFAULT_EVENT_MINUTES) * 60_000, nowMs - EVENT_RETENTION_MINUTES * 60_000);
  if (start !== undefined && end !== undefined && start > end) throw badRequest('StartDate must not be after EndDate');
  const filter: EventListFilter = {
    fromMs, toMs,
    eventType: query.string('EventType') || undefined,
    taskSid: query.sid('TaskSid', SID_PREFIXES.task),
    workerSid: query.sid('WorkerSid', SID_PREFIXES.worker),
    reservationSid: query.sid('ReservationSid', SID_PREFIXES.reservation),
    taskQueueSid: query.sid('TaskQueueSid', SID_PREFIXES.taskQueue),
    workflowSid: query.sid('WorkflowSid', SID_PREFIXES.workflow),
    taskChannel: query.string('TaskChannel') || undefined,
    sid: query.sid('Sid', SID_PREFIXES.event),
  };
  const echo = {
    EventType: filter.eventType, TaskSid: filter.taskSid, WorkerSid: filter.workerSid, ReservationSid: filter.reservationSid,
    TaskQueueSid: filter.taskQueueSid, WorkflowSid: filter.workflowSid, TaskChannel: filter.taskChannel, Sid: filter.sid,
    StartDate: new Date(fromMs).toISOString(), EndDate: new Date(toMs).toISOString(),
  };
  return { filter, echo };
}
