import type { DomainEvent } from '../shared/domain-event';
import type { ReservationChoice } from '../routing-explanation/reservation-choice';

export interface RoutingStepData { readonly filterIndex: number; readonly targetIndex: number }

/**
 * The target a task was routed to, as written in the workflow at that moment (expressions as
 * source text). Matching uses this, not the workflow's current document, so editing a workflow
 * never changes what a waiting task's step means.
 */
export interface RoutedTarget {
  readonly queue: string;
  readonly expression?: string;
  readonly orderBy?: string;
  readonly skipIf?: string;
  readonly knownWorkerSid?: string;
  readonly knownWorkerFriendlyName?: string;
}

export type TaskCreated = DomainEvent<'TaskCreated', {
  workspaceSid: string; taskSid: string; workflowSid: string; attributes: Record<string, unknown>;
  /** Null when the request gave none: the matched target's priority (or 0) applies. */
  priority: number | null;
  taskChannelSid: string; taskChannelUniqueName: string;
  /** Time to live in seconds before assignment. */
  timeout: number; at: string;
}>;
/** The workflow put the task in a queue: `explanation` says why, for operators. */
export type TaskRouted = DomainEvent<'TaskRouted', {
  workspaceSid: string; taskSid: string; workflowSid: string; step: RoutingStepData; filterName: string; queueSid: string;
  /** The queue the task leaves, if it was in one. */
  previousQueueSid: string | null;
  priority: number; targetTimeout: number | null; explanation: string[];
  /** The task stream version of the event this decision answers: a redelivered trigger decides nothing twice. */
  triggerVersion: number;
  /** Absent in events written before targets were recorded; matching then reads the workflow. */
  target?: RoutedTarget;
  /** The workflow stream version the decision read (re-evaluation routes tasks of older versions again). */
  workflowVersion?: number;
  at: string;
}>;
export type TaskReserved = DomainEvent<'TaskReserved', {
  workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; workerName: string; queueSid: string;
  /** Seconds the worker has to answer (the workflow's TaskReservationTimeout). */
  reservationTimeout: number;
  /** What the matcher knew when it chose (bounded); absent in reservations written before it was recorded. */
  choice?: ReservationChoice;
  at: string;
}>;
export type ReservationAccepted = DomainEvent<'ReservationAccepted', { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; at: string }>;
export type ReservationRejected = DomainEvent<'ReservationRejected', { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; at: string }>;
export type ReservationTimedOut = DomainEvent<'ReservationTimedOut', { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; at: string }>;
/** The task leaves its step: the target's timeout passed, or its `skip_if` held when no worker could be reserved at once. */
/** TaskRouter could reach neither the AssignmentCallbackUrl nor the fallback: the reservation is canceled. */
export type ReservationCanceled = DomainEvent<'ReservationCanceled', { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; reason: string; at: string }>;
export type TaskTargetTimedOut = DomainEvent<'TaskTargetTimedOut', { workspaceSid: string; taskSid: string; step: RoutingStepData; reason?: 'timeout' | 'skip_if'; at: string }>;
export type TaskWrappingUp = DomainEvent<'TaskWrappingUp', { workspaceSid: string; taskSid: string; reservationSid: string; reason: string | null; at: string }>;
export type TaskCompleted = DomainEvent<'TaskCompleted', { workspaceSid: string; taskSid: string; reservationSid: string; workerSid: string; reason: string | null; at: string }>;
export type TaskCanceled = DomainEvent<'TaskCanceled', {
  workspaceSid: string; taskSid: string; reason: string | null;
  /** The reservation canceled with it, when the task was reserved. */
  reservationSid: string | null; workerSid: string | null;
  cause: 'api' | 'ttl' | 'workflow-timeout' | 'max-assignments'; at: string;
}>;
export type TaskUpdated = DomainEvent<'TaskUpdated', { workspaceSid: string; taskSid: string; attributes?: Record<string, unknown>; priority?: number; at: string }>;

export type TaskEvent =
  | TaskCreated | TaskRouted | TaskReserved | ReservationAccepted | ReservationRejected | ReservationTimedOut | ReservationCanceled
  | TaskTargetTimedOut | TaskWrappingUp | TaskCompleted | TaskCanceled | TaskUpdated;
