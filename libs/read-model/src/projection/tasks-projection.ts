import type { RowChanges } from './row-changes';
import type { TableProjection } from './projection-context';
import { column } from './table-shape';

const settable = [
  column('attributes', 'jsonb'), column('assignment_status', 'text'), column('priority', 'int'), column('reason', 'text'),
  column('task_queue_sid', 'text'), column('task_queue_entered_date', 'timestamptz'), column('routing_explanation', 'jsonb'),
  column('date_updated', 'timestamptz'), column('version', 'int'),
];

/** A reason only ever replaces the one before (coalesce): a status change without one keeps it. */
function setStatus(rows: RowChanges, taskSid: string, status: string, at: string, version: number, reason?: string | null): void {
  const set: Record<string, unknown> = { assignment_status: status, date_updated: at, version };
  if (reason != null) set.reason = reason;
  rows.update({ sid: taskSid }, { set });
}

export const tasksProjection: TableProjection = {
  shape: {
    table: 'rm_tasks',
    key: [column('sid', 'text')],
    columns: [
      column('sid', 'text'), column('workspace_sid', 'text'), column('workflow_sid', 'text'), ...settable,
      column('task_channel_sid', 'text'), column('task_channel_unique_name', 'text'), column('timeout', 'int'), column('date_created', 'timestamptz'),
    ],
    settable,
    counters: [],
  },
  handlers: {
    TaskCreated: (rows, d, context) => rows.insert({
      sid: d.taskSid, workspace_sid: d.workspaceSid, workflow_sid: d.workflowSid, attributes: d.attributes, assignment_status: 'pending',
      priority: d.priority ?? 0, reason: null, task_queue_sid: null, task_queue_entered_date: null, routing_explanation: null,
      task_channel_sid: d.taskChannelSid, task_channel_unique_name: d.taskChannelUniqueName, timeout: d.timeout,
      date_created: d.at, date_updated: d.at, version: context.version,
    }),
    TaskRouted: (rows, d, context) => rows.update({ sid: d.taskSid }, {
      set: {
        task_queue_sid: d.queueSid, task_queue_entered_date: d.at, priority: d.priority,
        routing_explanation: { step: d.step, filterName: d.filterName, explanation: d.explanation }, date_updated: d.at, version: context.version,
      },
    }),
    TaskReserved: (rows, d, context) => setStatus(rows, d.taskSid, 'reserved', d.at, context.version),
    ReservationAccepted: (rows, d, context) => setStatus(rows, d.taskSid, 'assigned', d.at, context.version),
    ReservationRejected: (rows, d, context) => setStatus(rows, d.taskSid, 'pending', d.at, context.version),
    ReservationTimedOut: (rows, d, context) => setStatus(rows, d.taskSid, 'pending', d.at, context.version),
    ReservationCanceled: (rows, d, context) => setStatus(rows, d.taskSid, 'pending', d.at, context.version),
    TaskTargetTimedOut: (rows, d, context) => rows.update({ sid: d.taskSid }, { set: { version: context.version } }),
    TaskWrappingUp: (rows, d, context) => setStatus(rows, d.taskSid, 'wrapping', d.at, context.version, d.reason),
    TaskCompleted: (rows, d, context) => setStatus(rows, d.taskSid, 'completed', d.at, context.version, d.reason),
    TaskCanceled: (rows, d, context) => setStatus(rows, d.taskSid, 'canceled', d.at, context.version, d.reason),
    TaskUpdated: (rows, d, context) => {
      const set: Record<string, unknown> = { date_updated: d.at, version: context.version };
      if (d.attributes) set.attributes = d.attributes;
      if (d.priority != null) set.priority = d.priority;
      rows.update({ sid: d.taskSid }, { set });
    },
  },
};
