import type { NewTimer } from './timer-store';

/** A reservation whose timeout is no longer needed: its timer's task and ref. */
export interface CancelledReservation {
  readonly taskSid: string;
  readonly reservationSid: string;
}

/** One event's effect on the timers. */
export type TimerChange =
  | { readonly kind: 'schedule'; readonly timer: NewTimer }
  | { readonly kind: 'cancelTask'; readonly taskSid: string }
  | { readonly kind: 'cancelReservation'; readonly taskSid: string; readonly reservationSid: string };

/** Where changes are written: `TimerStore.apply`, or a group commit in front of it. */
export interface TimerChangeTarget {
  apply(changes: TimerChanges): Promise<void>;
}

const keyOf = (timer: Pick<NewTimer, 'kind' | 'ref'>) => `${timer.kind}:${timer.ref}`;

/**
 * What a run of events does to the timers, netted in the events' order so that one statement
 * applies it all: a timer scheduled and cancelled within the run is never written, and a cancel
 * removes only the timers scheduled before it (in an earlier run or earlier in this one).
 */
export class TimerChanges {
  /** The timers to write, by task, then by kind and ref (a timer's identity within its task). */
  private readonly scheduledByTask = new Map<string, Map<string, NewTimer>>();
  private readonly tasksCancelled = new Set<string>();
  private readonly reservationsCancelled = new Map<string, CancelledReservation>();

  add(change: TimerChange): this {
    if (change.kind === 'schedule') return this.schedule(change.timer);
    if (change.kind === 'cancelTask') return this.cancelTask(change.taskSid);
    return this.cancelReservation(change.taskSid, change.reservationSid);
  }

  /** Idempotent, as the table is: the first timer of a kind, task and ref stays. */
  schedule(timer: NewTimer): this {
    let ofTask = this.scheduledByTask.get(timer.taskSid);
    if (!ofTask) this.scheduledByTask.set(timer.taskSid, (ofTask = new Map()));
    if (!ofTask.has(keyOf(timer))) ofTask.set(keyOf(timer), timer);
    return this;
  }

  /** Every timer of the task goes: it needs none once it is assigned or finished. */
  cancelTask(taskSid: string): this {
    this.scheduledByTask.delete(taskSid);
    this.tasksCancelled.add(taskSid);
    return this;
  }

  /** The reservation's timeout goes: the reservation ended before it. */
  cancelReservation(taskSid: string, reservationSid: string): this {
    this.scheduledByTask.get(taskSid)?.delete(keyOf({ kind: 'reservation', ref: reservationSid }));
    this.reservationsCancelled.set(`${taskSid}:${reservationSid}`, { taskSid, reservationSid });
    return this;
  }

  /** Adds the changes of a later run (another batch), as if its events had come after these. */
  append(later: TimerChanges): this {
    for (const taskSid of later.tasksCancelled) this.cancelTask(taskSid);
    for (const { taskSid, reservationSid } of later.reservationsCancelled.values()) this.cancelReservation(taskSid, reservationSid);
    for (const timer of later.scheduled()) this.schedule(timer);
    return this;
  }

  get isEmpty(): boolean {
    return this.scheduledByTask.size === 0 && this.tasksCancelled.size === 0 && this.reservationsCancelled.size === 0;
  }

  /**
   * The timers to write. A cancel earlier in the run does not remove these: the statement keeps
   * any stored timer with the identity of one of them (scheduling it again would add nothing).
   */
  scheduled(): NewTimer[] {
    return [...this.scheduledByTask.values()].flatMap((ofTask) => [...ofTask.values()]);
  }

  cancelledTasks(): string[] {
    return [...this.tasksCancelled];
  }

  cancelledReservations(): CancelledReservation[] {
    return [...this.reservationsCancelled.values()];
  }
}
