import type { TaskQueueEvent, TaskQueueSettings } from './task-queue-events';

export interface TaskQueueState extends TaskQueueSettings {
  readonly exists: boolean;
  readonly workspaceSid: string;
  readonly taskQueueSid: string;
}

export const initialTaskQueueState: TaskQueueState = {
  exists: false, workspaceSid: '', taskQueueSid: '', friendlyName: '', targetWorkers: '1==1', maxReservedWorkers: 1,
  taskOrder: 'FIFO', reservationActivitySid: null, assignmentActivitySid: null,
};

export function evolveTaskQueue(state: TaskQueueState, event: TaskQueueEvent): TaskQueueState {
  switch (event.type) {
    case 'TaskQueueCreated': {
      const { at: _at, ...data } = event.data;
      return { ...state, ...data, exists: true };
    }
    case 'TaskQueueUpdated':
      return { ...state, ...event.data.changes };
    case 'TaskQueueDeleted':
      return { ...state, exists: false };
  }
}
