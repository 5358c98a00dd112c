import type { TableProjection } from './projection-context';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('target_workers', 'text'), column('max_reserved_workers', 'int'), column('task_order', 'text'),
  column('reservation_activity_sid', 'text'), column('assignment_activity_sid', 'text'), column('date_updated', 'timestamptz'),
];

export const taskQueuesProjection: TableProjection = {
  shape: sidKeyedShape('rm_task_queues', 'workspace_sid', settable, { deletable: true }),
  handlers: {
    TaskQueueCreated: (rows, d) => rows.insert({
      sid: d.taskQueueSid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, target_workers: d.targetWorkers,
      max_reserved_workers: d.maxReservedWorkers, task_order: d.taskOrder, reservation_activity_sid: d.reservationActivitySid,
      assignment_activity_sid: d.assignmentActivitySid, date_created: d.at, date_updated: d.at,
    }),
    TaskQueueUpdated: (rows, d) => {
      const c = d.changes;
      // Nullable settings are set whenever named (a change may clear them); the others only to a value.
      const set: Record<string, unknown> = { date_updated: d.at };
      if (c.friendlyName != null) set.friendly_name = c.friendlyName;
      if ('targetWorkers' in c) set.target_workers = c.targetWorkers ?? null;
      if (c.maxReservedWorkers != null) set.max_reserved_workers = c.maxReservedWorkers;
      if (c.taskOrder != null) set.task_order = c.taskOrder;
      if ('reservationActivitySid' in c) set.reservation_activity_sid = c.reservationActivitySid ?? null;
      if ('assignmentActivitySid' in c) set.assignment_activity_sid = c.assignmentActivitySid ?? null;
      rows.update({ sid: d.taskQueueSid }, { set });
    },
    TaskQueueDeleted: (rows, d) => rows.delete(d.taskQueueSid),
  },
};
