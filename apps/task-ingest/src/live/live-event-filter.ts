import type { EventListFilter, EventView } from '@taskrouter/contract';

/** Whether an Event passes a list filter's field conditions (the window is the stream's own). */
export function matchesEventFilter(view: EventView, filter: EventListFilter): boolean {
  const data = view.eventData;
  if (filter.eventType !== undefined && view.eventType !== filter.eventType) return false;
  if (filter.sid !== undefined && view.sid !== filter.sid) return false;
  if (filter.taskSid !== undefined && data.task_sid !== filter.taskSid) return false;
  if (filter.workerSid !== undefined && data.worker_sid !== filter.workerSid) return false;
  if (filter.reservationSid !== undefined && data.reservation_sid !== filter.reservationSid) return false;
  if (filter.taskQueueSid !== undefined && data.task_queue_sid !== filter.taskQueueSid) return false;
  if (filter.workflowSid !== undefined && data.workflow_sid !== filter.workflowSid) return false;
  if (filter.taskChannel !== undefined && data.task_channel_unique_name !== filter.taskChannel && data.task_channel_sid !== filter.taskChannel) return false;
  return true;
}
