import type { RoutedTarget, RoutingStepData, TaskEvent } from './task-events';
import { ownEntry } from '../shared/own-entry';

export type AssignmentStatus = 'pending' | 'reserved' | 'assigned' | 'wrapping' | 'completed' | 'canceled';
export type ReservationStatus = 'pending' | 'accepted' | 'rejected' | 'timeout' | 'canceled' | 'rescinded' | 'wrapping' | 'completed';

export interface ReservationState {
  readonly reservationSid: string;
  readonly workerSid: string;
  readonly workerName: string;
  readonly status: ReservationStatus;
  readonly createdAt: string;
  readonly timeout: number;
}

export interface TaskRouting {
  readonly step: RoutingStepData;
  readonly queueSid: string;
  readonly enteredAt: string;
  readonly targetTimeout: number | null;
  /** The step's timeout passed while a reservation was pending: move on when it ends. */
  readonly stepExpired: boolean;
  readonly target?: RoutedTarget;
  readonly workflowVersion?: number;
}

export interface TaskState {
  readonly exists: boolean;
  readonly workspaceSid: string;
  readonly taskSid: string;
  readonly workflowSid: string;
  readonly status: AssignmentStatus;
  readonly attributes: Record<string, unknown>;
  readonly priority: number;
  readonly requestedPriority: number | null;
  readonly channel: string;
  readonly taskChannelSid: string;
  readonly timeout: number;
  readonly createdAt: string;
  readonly routing: TaskRouting | null;
  readonly reservations: Readonly<Record<string, ReservationState>>;
  readonly reason: string | null;
  /** The latest trigger (task stream version) the workflow has answered. */
  readonly routedForVersion: number;
}

export const initialTaskState: TaskState = {
  exists: false, workspaceSid: '', taskSid: '', workflowSid: '', status: 'pending', attributes: {}, priority: 0, requestedPriority: null,
  channel: 'default', taskChannelSid: '', timeout: 0, createdAt: '', routing: null, reservations: {}, reason: null, routedForVersion: 0,
};

export function evolveTask(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskCreated': {
      const d = event.data;
      return {
        ...state, exists: true, workspaceSid: d.workspaceSid, taskSid: d.taskSid, workflowSid: d.workflowSid, status: 'pending',
        attributes: d.attributes, priority: d.priority ?? 0, requestedPriority: d.priority, channel: d.taskChannelUniqueName,
        taskChannelSid: d.taskChannelSid, timeout: d.timeout, createdAt: d.at,
      };
    }
    case 'TaskRouted': {
      const { step, queueSid, at, targetTimeout, priority, triggerVersion, target, workflowVersion } = event.data;
      return { ...state, priority, routedForVersion: triggerVersion, routing: { step, queueSid, enteredAt: at, targetTimeout, stepExpired: false, target, workflowVersion } };
    }
    case 'TaskReserved': {
      const { reservationSid, workerSid, workerName, at, reservationTimeout } = event.data;
      return {
        ...state, status: 'reserved',
        reservations: { ...state.reservations, [reservationSid]: { reservationSid, workerSid, workerName, status: 'pending', createdAt: at, timeout: reservationTimeout } },
      };
    }
    case 'ReservationAccepted':
      return { ...withReservation(state, event.data.reservationSid, 'accepted'), status: 'assigned' };
    case 'ReservationRejected':
      return { ...withReservation(state, event.data.reservationSid, 'rejected'), status: 'pending' };
    case 'ReservationTimedOut':
      return { ...withReservation(state, event.data.reservationSid, 'timeout'), status: 'pending' };
    case 'ReservationCanceled':
      return { ...withReservation(state, event.data.reservationSid, 'canceled'), status: 'pending' };
    case 'TaskTargetTimedOut':
      return state.routing ? { ...state, routing: { ...state.routing, stepExpired: true } } : state;
    case 'TaskWrappingUp':
      return { ...withReservation(state, event.data.reservationSid, 'wrapping'), status: 'wrapping', reason: event.data.reason };
    case 'TaskCompleted':
      return { ...withReservation(state, event.data.reservationSid, 'completed'), status: 'completed', reason: event.data.reason };
    case 'TaskCanceled': {
      const canceled = event.data.reservationSid ? withReservation(state, event.data.reservationSid, 'canceled') : state;
      return { ...canceled, status: 'canceled', reason: event.data.reason };
    }
    case 'TaskUpdated':
      return { ...state, attributes: event.data.attributes ?? state.attributes, priority: event.data.priority ?? state.priority };
  }
}

function withReservation(state: TaskState, reservationSid: string, status: ReservationStatus): TaskState {
  const reservation = ownEntry(state.reservations, reservationSid);
  if (!reservation) return state;
  return { ...state, reservations: { ...state.reservations, [reservationSid]: { ...reservation, status } } };
}

/** The reservation that is pending, accepted or wrapping, if any: at most one in this version. */
export function liveReservation(state: TaskState): ReservationState | undefined {
  return Object.values(state.reservations).find((r) => r.status === 'pending' || r.status === 'accepted' || r.status === 'wrapping');
}

export function isFinished(state: TaskState): boolean {
  return state.status === 'completed' || state.status === 'canceled';
}
