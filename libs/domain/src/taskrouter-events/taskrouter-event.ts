/**
 * A TaskRouter Event (reference §10) as the projection stores it. `data` holds the event_data
 * fields the log event itself gives (snake_case); the fields it does not carry come from the
 * facts of its `subjects` as they stood just before the log event (subject-facts.ts), merged
 * under `data`: facts, then data, later keys winning.
 */
export interface TaskRouterEventRecord {
  readonly sid: string;
  readonly workspaceSid: string;
  readonly eventType: TaskRouterEventType;
  readonly resourceType: ResourceType;
  readonly resourceSid: string;
  readonly actorType: ActorType;
  readonly actorSid: string;
  /** ISO-8601 with milliseconds: the deciding clock's time of the log event. */
  readonly eventDate: string;
  readonly eventDateMs: number;
  /** The log event's stream version and this Event's index among those it gives rise to (newest-first order within a millisecond). */
  readonly streamVersion: number;
  readonly index: number;
  readonly subjects: EventSubjects;
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * Whose facts the Event's data is completed from. `worker` is a worker SID, or `'of-task'`: the
 * worker of the task's live reservation (a wrap-up names only the reservation).
 */
export interface EventSubjects {
  readonly task?: string;
  readonly worker?: string;
  readonly workerOfTask?: boolean;
  /** A worker channel (`WK…/voice`) or the configuration resource the Event is about. */
  readonly other?: string;
}

export type ResourceType = 'task' | 'reservation' | 'worker' | 'activity' | 'workflow' | 'workspace' | 'task-queue' | 'task-channel';

/** `workspace`: a REST request (the account acting on its workspace); `workflow`: routing, matching and their timers. */
export type ActorType = 'workspace' | 'workflow';

/** Every §10.2 type this server produces (see TASKROUTER_EVENT_TYPES for the list and docs/taskrouter-choices.md for the rest). */
export type TaskRouterEventType = (typeof TASKROUTER_EVENT_TYPES)[number];

export const TASKROUTER_EVENT_TYPES = [
  'workspace.created', 'workspace.updated',
  'activity.created',
  'task-channel.created',
  'task-queue.created', 'task-queue.expression.updated', 'task-queue.deleted',
  'task-queue.entered', 'task-queue.moved', 'task-queue.timeout',
  'workflow.created', 'workflow.updated', 'workflow.deleted',
  'workflow.entered', 'workflow.target-matched', 'workflow.timeout', 'workflow.skipped',
  'worker.created', 'worker.activity.update', 'worker.attributes.update', 'worker.capacity.update', 'worker.channel.availability.update', 'worker.deleted',
  'task.created', 'task.updated', 'task.canceled', 'task.wrapup', 'task.completed',
  'reservation.created', 'reservation.accepted', 'reservation.rejected', 'reservation.timeout', 'reservation.canceled',
  'reservation.wrapup', 'reservation.completed',
] as const;

/** A change to one subject's facts, applied after the Events of the log event that makes it. */
export interface FactsChange {
  readonly subject: string;
  readonly workspaceSid: string;
  readonly patch: Readonly<Record<string, unknown>>;
}

/** What one log event gives: its TaskRouter Events (possibly none) and the facts it changes. */
export interface TaskRouterEventsOf {
  readonly records: TaskRouterEventRecord[];
  readonly facts: FactsChange[];
}
