import type { DomainEvent } from '../shared/domain-event';

export interface TaskQueueSettings {
  readonly friendlyName: string;
  /** Null: TaskRouter's "tasks wait in the queue until deleted or moved" (no worker qualifies). */
  readonly targetWorkers: string | null;
  readonly maxReservedWorkers: number;
  readonly taskOrder: 'FIFO' | 'LIFO';
  readonly reservationActivitySid: string | null;
  readonly assignmentActivitySid: string | null;
}

export type TaskQueueCreated = DomainEvent<'TaskQueueCreated', TaskQueueSettings & { workspaceSid: string; taskQueueSid: string; at: string }>;
export type TaskQueueUpdated = DomainEvent<'TaskQueueUpdated', { workspaceSid: string; taskQueueSid: string; changes: Partial<TaskQueueSettings>; at: string }>;
export type TaskQueueDeleted = DomainEvent<'TaskQueueDeleted', { workspaceSid: string; taskQueueSid: string; at: string }>;

export type TaskQueueEvent = TaskQueueCreated | TaskQueueUpdated | TaskQueueDeleted;
