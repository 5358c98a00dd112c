import type { TaskQueueEvent } from './task-queue/task-queue-events';
import type { TaskEvent } from './task/task-events';
import type { WorkerEvent } from './worker/worker-events';
import type { WorkflowEvent } from './workflow/decide-workflow';
import type { WorkspaceEvent } from './workspace/workspace-events';

export type AnyDomainEvent = WorkspaceEvent | TaskQueueEvent | WorkflowEvent | WorkerEvent | TaskEvent;
export type DomainEventType = AnyDomainEvent['type'];
