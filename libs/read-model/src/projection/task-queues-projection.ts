import type { TableProjection } from './projection-context';
import { changedColumns, type ChangeColumns } from './changed-columns';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('target_workers', 'text'), column('max_reserved_workers', 'int'), column('task_order', 'text'),
  column('reservation_activity_sid', 'text'), column('assignment_activity_sid', 'text'), column('date_updated', 'timestamptz'),
];

/** TaskQueueUpdated: what each change sets. */
const QUEUE_CHANGES: ChangeColumns = {
  valued: [['friendlyName', 'friendly_name'], ['maxReservedWorkers', 'max_reserved_workers'], ['taskOrder', 'task_order']],
  clearable: [['targetWorkers', 'target_workers'], ['reservationActivitySid', 'reservation_activity_sid'], ['assignmentActivitySid', 'assignment_activity_sid']],
};

export const taskQueuesProjection: TableProjection = {
  shape: sidKeyedShape('rm_task_queues', 'workspace_sid', settable, { deletable: true }),
  handlers: {
    TaskQueueCreated: (rows, d) => rows.insert({
      sid: d.taskQueueSid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, target_workers: d.targetWorkers,
      max_reserved_workers: d.maxReservedWorkers, task_order: d.taskOrder, reservation_activity_sid: d.reservationActivitySid,
      assignment_activity_sid: d.assignmentActivitySid, date_created: d.at, date_updated: d.at,
    }),
    TaskQueueUpdated: (rows, d) => rows.update({ sid: d.taskQueueSid }, { set: changedColumns(d.at, d.changes, QUEUE_CHANGES) }),
    TaskQueueDeleted: (rows, d) => rows.delete(d.taskQueueSid),
  },
};
