import type { TimerChange } from './timer-changes';

/** The event types that set a deadline or end the need for one: what the timer service consumes. */
export const TIMER_EVENT_TYPES = ['TaskCreated', 'TaskRouted', 'TaskReserved', 'ReservationAccepted', 'TaskCanceled', 'ReservationRejected', 'ReservationCanceled'] as const;

type TimerEventType = (typeof TIMER_EVENT_TYPES)[number];

const isTimerEventType = (type: string): type is TimerEventType => (TIMER_EVENT_TYPES as readonly string[]).includes(type);

/** A deadline `s` seconds after `at`; an event whose fields give none is refused here, alone, rather than by its batch's statement. */
function secondsAfter(at: string, s: number): Date {
  const due = new Date(Date.parse(at) + s * 1000);
  if (!Number.isFinite(due.getTime())) throw new TypeError(`no deadline ${s} s after ${at}`);
  return due;
}

/**
 * What an event does to the timers: a deadline it sets becomes a timer; an event after which a
 * deadline can decide nothing cancels it (a stale timer would still decide nothing when it fires,
 * but would cost its firing: a claim, reads of the task and worker, a delete). Throws for an event
 * whose data is not what its type promises (a poison event: the consumer parks it).
 */
export function timerChangeOf(event: { readonly type: string; readonly data: unknown }): TimerChange | null {
  const type = event.type;
  if (!isTimerEventType(type)) return null;
  // Every type of the list has its case (the compiler checks), so the consumer's batches and a record handled alone agree.
  switch (type) {
    case 'TaskCreated': {
      // The task's time to live before assignment (`Timeout`, default 86,400 s).
      const d = event.data as { workspaceSid: unknown; taskSid: unknown; timeout: number; at: string };
      return { kind: 'schedule', timer: { kind: 'ttl', workspaceSid: sid(d.workspaceSid), taskSid: sid(d.taskSid), ref: 'ttl', payload: {}, dueAt: secondsAfter(d.at, d.timeout) } };
    }
    case 'TaskRouted': {
      const d = event.data as { workspaceSid: unknown; taskSid: unknown; targetTimeout: number | null; step: { filterIndex: number; targetIndex: number }; at: string };
      if (d.targetTimeout === null) return null;
      return {
        kind: 'schedule', timer: {
          kind: 'target', workspaceSid: sid(d.workspaceSid), taskSid: sid(d.taskSid), ref: `${d.step.filterIndex}:${d.step.targetIndex}:${d.at}`,
          payload: { step: d.step, enteredAt: d.at }, dueAt: secondsAfter(d.at, d.targetTimeout),
        },
      };
    }
    case 'TaskReserved': {
      const d = event.data as { workspaceSid: unknown; taskSid: unknown; reservationSid: unknown; workerSid: string; reservationTimeout: number; at: string };
      return {
        kind: 'schedule', timer: {
          kind: 'reservation', workspaceSid: sid(d.workspaceSid), taskSid: sid(d.taskSid), ref: sid(d.reservationSid),
          payload: { workerSid: d.workerSid }, dueAt: secondsAfter(d.at, d.reservationTimeout),
        },
      };
    }
    // An assigned task never waits again (only a pending reservation is accepted, or ends), nor does
    // a canceled one: no deadline of theirs can decide anything.
    case 'ReservationAccepted':
    case 'TaskCanceled':
      return { kind: 'cancelTask', taskSid: sid((event.data as { taskSid: unknown }).taskSid) };
    // The task waits again, so its time to live and step timeout stay; this reservation's timeout goes.
    case 'ReservationRejected':
    case 'ReservationCanceled': {
      const d = event.data as { taskSid: unknown; reservationSid: unknown };
      return { kind: 'cancelReservation', taskSid: sid(d.taskSid), reservationSid: sid(d.reservationSid) };
    }
  }
}

/** A timer is named by its task (and reservation): without a SID a cancel would remove nothing, silently, and a timer could not be written. */
function sid(value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`expected a SID, got ${JSON.stringify(value)}`);
  return value;
}
