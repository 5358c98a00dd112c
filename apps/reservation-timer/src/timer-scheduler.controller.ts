import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@taskrouter/event-store';
import { TimerWriter } from './timer-writer';

const seconds = (at: string, s: number) => new Date(Date.parse(at) + s * 1000);

/**
 * Turns every event that sets a deadline into a durable timer, and every event after which a
 * deadline can decide nothing into its cancel (a stale timer would still decide nothing when it
 * fires, but would cost its firing: a claim, reads of the task and worker, a delete).
 */
@Controller()
export class TimerSchedulerController {
  constructor(private readonly timers: TimerWriter) {}

  /** The task's time to live before assignment (`Timeout`, default 86,400 s). */
  @EventPattern('TaskCreated')
  onTaskCreated(@Payload() event: StoredEvent) {
    const d = event.data as { workspaceSid: string; taskSid: string; timeout: number; at: string };
    return this.timers.schedule({ kind: 'ttl', workspaceSid: d.workspaceSid, taskSid: d.taskSid, ref: 'ttl', payload: {}, dueAt: seconds(d.at, d.timeout) });
  }

  @EventPattern('TaskRouted')
  onTaskRouted(@Payload() event: StoredEvent) {
    const d = event.data as { workspaceSid: string; taskSid: string; targetTimeout: number | null; step: { filterIndex: number; targetIndex: number }; at: string };
    if (d.targetTimeout === null) return;
    return this.timers.schedule({
      kind: 'target', workspaceSid: d.workspaceSid, taskSid: d.taskSid, ref: `${d.step.filterIndex}:${d.step.targetIndex}:${d.at}`,
      payload: { step: d.step, enteredAt: d.at }, dueAt: seconds(d.at, d.targetTimeout),
    });
  }

  @EventPattern('TaskReserved')
  onTaskReserved(@Payload() event: StoredEvent) {
    const d = event.data as { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; reservationTimeout: number; at: string };
    return this.timers.schedule({
      kind: 'reservation', workspaceSid: d.workspaceSid, taskSid: d.taskSid, ref: d.reservationSid,
      payload: { workerSid: d.workerSid }, dueAt: seconds(d.at, d.reservationTimeout),
    });
  }

  /** An assigned task never waits again (only a pending reservation is accepted, or ends): no deadline of it can decide anything. */
  @EventPattern('ReservationAccepted')
  onReservationAccepted(@Payload() event: StoredEvent) {
    return this.timers.cancelTask((event.data as { taskSid: string }).taskSid);
  }

  @EventPattern('TaskCanceled')
  onTaskCanceled(@Payload() event: StoredEvent) {
    return this.timers.cancelTask((event.data as { taskSid: string }).taskSid);
  }

  /** The task waits again, so its time to live and step timeout stay; this reservation's timeout goes. */
  @EventPattern('ReservationRejected')
  onReservationRejected(@Payload() event: StoredEvent) {
    const d = event.data as { taskSid: string; reservationSid: string };
    return this.timers.cancelReservation(d.taskSid, d.reservationSid);
  }

  @EventPattern('ReservationCanceled')
  onReservationCanceled(@Payload() event: StoredEvent) {
    const d = event.data as { taskSid: string; reservationSid: string };
    return this.timers.cancelReservation(d.taskSid, d.reservationSid);
  }
}
