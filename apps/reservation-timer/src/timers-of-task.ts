import type { TaskState } from '@taskrouter/domain';
import type { NewTimer } from './timer-store';

const after = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1000);

/**
 * The deadlines a task's current state still needs: its time to live while pending or reserved,
 * each pending reservation's timeout, and its step's timeout while the step has not expired.
 * The same timers the scheduler creates from events, derived from state (for replay).
 */
export function timersOfTask(task: TaskState): NewTimer[] {
  if (!task.exists || (task.status !== 'pending' && task.status !== 'reserved')) return [];
  const ids = { workspaceSid: task.workspaceSid, taskSid: task.taskSid };
  const timers: NewTimer[] = [{ kind: 'ttl', ...ids, ref: 'ttl', payload: {}, dueAt: after(task.createdAt, task.timeout) }];
  for (const reservation of Object.values(task.reservations)) {
    if (reservation.status !== 'pending') continue;
    timers.push({ kind: 'reservation', ...ids, ref: reservation.reservationSid, payload: { workerSid: reservation.workerSid }, dueAt: after(reservation.createdAt, reservation.timeout) });
  }
  const routing = task.routing;
  if (routing && routing.targetTimeout !== null && !routing.stepExpired) {
    timers.push({
      kind: 'target', ...ids, ref: `${routing.step.filterIndex}:${routing.step.targetIndex}:${routing.enteredAt}`,
      payload: { step: routing.step, enteredAt: routing.enteredAt }, dueAt: after(routing.enteredAt, routing.targetTimeout),
    });
  }
  return timers;
}
