import type { TableProjection } from './projection-context';
import { changedColumns, type ChangeColumns } from './changed-columns';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('configuration', 'text'), column('task_reservation_timeout', 'int'),
  column('assignment_callback_url', 'text'), column('fallback_assignment_callback_url', 'text'), column('date_updated', 'timestamptz'),
];

/** WorkflowUpdated: what each change sets. */
const WORKFLOW_CHANGES: ChangeColumns = {
  valued: [['friendlyName', 'friendly_name'], ['configuration', 'configuration'], ['taskReservationTimeout', 'task_reservation_timeout']],
  clearable: [['assignmentCallbackUrl', 'assignment_callback_url'], ['fallbackAssignmentCallbackUrl', 'fallback_assignment_callback_url']],
};

export const workflowsProjection: TableProjection = {
  shape: sidKeyedShape('rm_workflows', 'workspace_sid', settable, { deletable: true }),
  handlers: {
    WorkflowCreated: (rows, d) => rows.insert({
      sid: d.workflowSid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, configuration: d.configuration,
      task_reservation_timeout: d.taskReservationTimeout, assignment_callback_url: d.assignmentCallbackUrl,
      fallback_assignment_callback_url: d.fallbackAssignmentCallbackUrl, date_created: d.at, date_updated: d.at,
    }),
    WorkflowUpdated: (rows, d) => rows.update({ sid: d.workflowSid }, { set: changedColumns(d.at, d.changes, WORKFLOW_CHANGES) }),
    WorkflowDeleted: (rows, d) => rows.delete(d.workflowSid),
  },
};
