import { event } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import type { TaskEvent } from '../task/task-events';
import { liveReservation, type TaskState } from '../task/task-state';
import { activityRef } from '../worker/decide-worker';
import type { WorkerEvent } from '../worker/worker-events';
import { reservationsOnChannel, type WorkerState } from '../worker/worker-state';
import type { WorkspaceState } from '../workspace/workspace-state';
import { ownEntry } from '../shared/own-entry';
import type { ReservationChoice } from '../routing-explanation/reservation-choice';

/**
 * Decisions that change a task and a worker together. The caller appends both lists in one
 * transaction, each with the version it read: that is what makes a double assignment, or a
 * stale timer beating an accept, impossible.
 */
export interface TaskAndWorkerEvents {
  readonly task: TaskEvent[];
  readonly worker: WorkerEvent[];
}

const none: TaskAndWorkerEvents = { task: [], worker: [] };

/** TaskRouter's Max Assignment Count: a task offered this many times without acceptance is canceled. */
export const MAX_ASSIGNMENT_COUNT = 1_000;

/** After a reservation ends unaccepted: the task is canceled once it has been offered MAX_ASSIGNMENT_COUNT times. */
function cancelAtMaxAssignments(task: TaskState, at: string): TaskEvent[] {
  if (Object.keys(task.reservations).length < MAX_ASSIGNMENT_COUNT) return [];
  return [event('TaskCanceled', {
    workspaceSid: task.workspaceSid, taskSid: task.taskSid, reason: `Task was offered ${MAX_ASSIGNMENT_COUNT} times without being accepted`,
    reservationSid: null, workerSid: null, cause: 'max-assignments' as const, at,
  })];
}

export interface ReserveWorker {
  readonly reservationSid: string;
  readonly queueSid: string;
  readonly reservationTimeout: number;
  /** The rule that chose and the workers looked at, recorded with the reservation (RoutingExplanation). */
  readonly choice?: ReservationChoice;
}

/** Offers a pending task to a worker; refuses when either side no longer allows it. */
export function reserveWorker(command: ReserveWorker, task: TaskState, worker: WorkerState, workspace: WorkspaceState, now: Date): TaskAndWorkerEvents {
  const at = now.toISOString();
  if (!task.exists || task.status !== 'pending') throw new DomainError('conflict', `the task is ${task.exists ? task.status : 'gone'}`);
  if (!task.routing || task.routing.queueSid !== command.queueSid || task.routing.stepExpired) throw new DomainError('conflict', 'the task is no longer waiting in that queue');
  if (!worker.exists) throw new DomainError('conflict', 'the worker is gone');
  if (!worker.activity.available) throw new DomainError('conflict', `the worker is ${worker.activity.name}`);
  const channel = ownEntry(worker.channels, task.channel);
  if (!channel || !channel.available) throw new DomainError('conflict', `the worker is not available on channel ${task.channel}`);
  const held = workspace.multiTaskEnabled ? reservationsOnChannel(worker, task.channel) : Object.keys(worker.reservations).length;
  const capacity = workspace.multiTaskEnabled ? channel.capacity : 1;
  if (held >= capacity) throw new DomainError('conflict', `the worker has no free capacity on channel ${task.channel}`);
  const ids = { workspaceSid: task.workspaceSid, reservationSid: command.reservationSid };
  return {
    task: [event('TaskReserved', { ...ids, taskSid: task.taskSid, workerSid: worker.workerSid, workerName: worker.friendlyName, queueSid: command.queueSid, reservationTimeout: command.reservationTimeout, ...(command.choice ? { choice: command.choice } : {}), at })],
    worker: [event('WorkerReserved', { ...ids, workerSid: worker.workerSid, taskSid: task.taskSid, channel: task.channel, at })],
  };
}

export function acceptReservation(reservationSid: string, task: TaskState, worker: WorkerState, now: Date): TaskAndWorkerEvents {
  const reservation = pendingReservation(task, reservationSid, 'accepted');
  const ids = { workspaceSid: task.workspaceSid, reservationSid, workerSid: reservation.workerSid };
  return {
    task: [event('ReservationAccepted', { ...ids, taskSid: task.taskSid, at: now.toISOString() })],
    worker: ownEntry(worker.reservations, reservationSid) ? [event('WorkerReservationAccepted', { ...ids, at: now.toISOString() })] : [],
  };
}

/** The worker goes to `activitySid` when given, otherwise stays where it is. */
export function rejectReservation(reservationSid: string, activitySid: string | undefined, task: TaskState, worker: WorkerState, workspace: WorkspaceState, now: Date): TaskAndWorkerEvents {
  const reservation = pendingReservation(task, reservationSid, 'rejected');
  const at = now.toISOString();
  const ids = { workspaceSid: task.workspaceSid, reservationSid, workerSid: reservation.workerSid };
  const workerEvents: WorkerEvent[] = [event('WorkerReservationEnded', { ...ids, channel: task.channel, outcome: 'rejected' as const, at })];
  if (activitySid !== undefined && activitySid !== worker.activity.sid) {
    const activity = activityRef(workspace, activitySid, 'WorkerActivitySid');
    workerEvents.push(event('WorkerActivityChanged', { workspaceSid: task.workspaceSid, workerSid: worker.workerSid, activity, previousActivity: worker.activity, cause: 'reservation-rejected' as const, at }));
  }
  return { task: [event('ReservationRejected', { ...ids, taskSid: task.taskSid, at }), ...cancelAtMaxAssignments(task, at)], worker: workerEvents };
}

/** A reservation left unanswered: the worker moves to the workspace's timeout activity. A stale timer decides nothing. */
export function timeOutReservation(reservationSid: string, task: TaskState, worker: WorkerState, workspace: WorkspaceState, now: Date): TaskAndWorkerEvents {
  const reservation = ownEntry(task.reservations, reservationSid);
  if (!reservation || reservation.status !== 'pending') return none;
  const at = now.toISOString();
  const ids = { workspaceSid: task.workspaceSid, reservationSid, workerSid: reservation.workerSid };
  const workerEvents: WorkerEvent[] = [event('WorkerReservationEnded', { ...ids, channel: task.channel, outcome: 'timeout' as const, at })];
  if (worker.exists && workspace.timeoutActivitySid && workspace.timeoutActivitySid !== worker.activity.sid) {
    const activity = activityRef(workspace, workspace.timeoutActivitySid, 'TimeoutActivitySid');
    workerEvents.push(event('WorkerActivityChanged', { workspaceSid: task.workspaceSid, workerSid: worker.workerSid, activity, previousActivity: worker.activity, cause: 'reservation-timeout' as const, at }));
  }
  return { task: [event('ReservationTimedOut', { ...ids, taskSid: task.taskSid, at }), ...cancelAtMaxAssignments(task, at)], worker: workerEvents };
}

/**
 * "If we cannot hit your AssignmentCallbackUrl or FallbackAssignmentCallbackUrl, TaskRouter will
 * automatically change your Reservation status to canceled": the task waits again and the worker's
 * capacity comes back. A reservation no longer pending decides nothing (it was answered meanwhile).
 */
export function cancelReservation(reservationSid: string, reason: string, task: TaskState, worker: WorkerState, now: Date): TaskAndWorkerEvents {
  const reservation = ownEntry(task.reservations, reservationSid);
  if (!reservation || reservation.status !== 'pending') return none;
  const at = now.toISOString();
  const ids = { workspaceSid: task.workspaceSid, reservationSid, workerSid: reservation.workerSid };
  return {
    task: [event('ReservationCanceled', { ...ids, taskSid: task.taskSid, reason, at }), ...cancelAtMaxAssignments(task, at)],
    worker: ownEntry(worker.reservations, reservationSid) ? [event('WorkerReservationEnded', { ...ids, channel: task.channel, outcome: 'canceled' as const, at })] : [],
  };
}

export function completeTask(reason: string | null, task: TaskState, worker: WorkerState | null, now: Date): TaskAndWorkerEvents {
  if (task.status !== 'assigned' && task.status !== 'wrapping') {
    throw new DomainError('conflict', `Only an assigned or wrapping Task can be completed; this one is ${task.status}`, 'AssignmentStatus');
  }
  const reservation = liveReservation(task);
  const at = now.toISOString();
  const reservationSid = reservation?.reservationSid ?? '';
  const workerSid = reservation?.workerSid ?? '';
  return {
    task: [event('TaskCompleted', { workspaceSid: task.workspaceSid, taskSid: task.taskSid, reservationSid, workerSid, reason, at })],
    worker: (worker && ownEntry(worker.reservations, reservationSid))
      ? [event('WorkerReservationEnded', { workspaceSid: task.workspaceSid, workerSid, reservationSid, channel: task.channel, outcome: 'completed' as const, at })]
      : [],
  };
}

/** "At any point until the Task has been assigned, the Task can be canceled." */
export function cancelTask(reason: string | null, cause: 'api' | 'ttl', task: TaskState, worker: WorkerState | null, now: Date): TaskAndWorkerEvents {
  if (task.status !== 'pending' && task.status !== 'reserved') {
    if (cause === 'ttl') return none;
    throw new DomainError('conflict', `Only a pending or reserved Task can be canceled; this one is ${task.status}`, 'AssignmentStatus');
  }
  const reservation = liveReservation(task);
  const at = now.toISOString();
  const reservationSid = reservation?.reservationSid ?? null;
  const workerSid = reservation?.workerSid ?? null;
  return {
    task: [event('TaskCanceled', { workspaceSid: task.workspaceSid, taskSid: task.taskSid, reason: reason ?? (cause === 'ttl' ? 'Task TTL Exceeded' : null), reservationSid, workerSid, cause, at })],
    worker: reservationSid && (worker && ownEntry(worker.reservations, reservationSid))
      ? [event('WorkerReservationEnded', { workspaceSid: task.workspaceSid, workerSid: worker.workerSid, reservationSid, channel: task.channel, outcome: 'canceled' as const, at })]
      : [],
  };
}

function pendingReservation(task: TaskState, reservationSid: string, wanted: string) {
  const reservation = ownEntry(task.reservations, reservationSid);
  if (!reservation) throw new DomainError('not-found', 'The requested Reservation was not found');
  if (reservation.status !== 'pending') {
    throw new DomainError('conflict', `The Reservation is ${reservation.status} and can no longer be ${wanted}`, 'ReservationStatus');
  }
  return reservation;
}
