import type { TableProjection } from './projection-context';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('configuration', 'text'), column('task_reservation_timeout', 'int'),
  column('assignment_callback_url', 'text'), column('fallback_assignment_callback_url', 'text'), column('date_updated', 'timestamptz'),
];

export const workflowsProjection: TableProjection = {
  shape: sidKeyedShape('rm_workflows', 'workspace_sid', settable, { deletable: true }),
  handlers: {
    WorkflowCreated: (rows, d) => rows.insert({
      sid: d.workflowSid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, configuration: d.configuration,
      task_reservation_timeout: d.taskReservationTimeout, assignment_callback_url: d.assignmentCallbackUrl,
      fallback_assignment_callback_url: d.fallbackAssignmentCallbackUrl, date_created: d.at, date_updated: d.at,
    }),
    WorkflowUpdated: (rows, d) => {
      const c = d.changes;
      // The callback URLs may be cleared, so naming them sets them; the others only take a value.
      const set: Record<string, unknown> = { date_updated: d.at };
      if (c.friendlyName != null) set.friendly_name = c.friendlyName;
      if (c.configuration != null) set.configuration = c.configuration;
      if (c.taskReservationTimeout != null) set.task_reservation_timeout = c.taskReservationTimeout;
      if ('assignmentCallbackUrl' in c) set.assignment_callback_url = c.assignmentCallbackUrl ?? null;
      if ('fallbackAssignmentCallbackUrl' in c) set.fallback_assignment_callback_url = c.fallbackAssignmentCallbackUrl ?? null;
      rows.update({ sid: d.workflowSid }, { set });
    },
    WorkflowDeleted: (rows, d) => rows.delete(d.workflowSid),
  },
};
