import type { AnyDomainEvent } from '../all-events';
import { streamIds } from '../shared/stream-ids';

/**
 * The stream a domain event is stored in, from its type and data: every aggregate's events name
 * its SID. A projection reads no stream ids (replay reads only versions, types and data), yet the
 * Event SIDs are derived from the stream and version.
 */
export function streamOf(event: AnyDomainEvent): string {
  switch (event.type) {
    case 'WorkspaceCreated': case 'WorkspaceUpdated': case 'ActivityCreated': case 'TaskChannelCreated':
      return streamIds.workspace(event.data.workspaceSid);
    case 'TaskQueueCreated': case 'TaskQueueUpdated': case 'TaskQueueDeleted':
      return streamIds.taskQueue(event.data.taskQueueSid);
    case 'WorkflowCreated': case 'WorkflowUpdated': case 'WorkflowDeleted':
      return streamIds.workflow(event.data.workflowSid);
    case 'WorkerCreated': case 'WorkerActivityChanged': case 'WorkerUpdated': case 'WorkerChannelUpdated': case 'WorkerChannelAdded':
    case 'WorkerReserved': case 'WorkerReservationAccepted': case 'WorkerReservationEnded': case 'WorkerDeleted':
      return streamIds.worker(event.data.workerSid);
    default:
      return streamIds.task(event.data.taskSid);
  }
}
