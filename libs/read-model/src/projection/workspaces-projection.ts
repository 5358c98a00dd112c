import type { TableProjection } from './projection-context';
import { changedColumns, type ChangeColumns } from './changed-columns';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('default_activity_sid', 'text'), column('timeout_activity_sid', 'text'), column('event_callback_url', 'text'),
  column('events_filter', 'text'), column('multi_task_enabled', 'boolean'), column('prioritize_queue_order', 'text'), column('date_updated', 'timestamptz'),
];

/** WorkspaceUpdated: what each change sets. */
const WORKSPACE_CHANGES: ChangeColumns = {
  valued: [['friendlyName', 'friendly_name'], ['defaultActivitySid', 'default_activity_sid'], ['timeoutActivitySid', 'timeout_activity_sid'], ['multiTaskEnabled', 'multi_task_enabled'], ['prioritizeQueueOrder', 'prioritize_queue_order']],
  clearable: [['eventCallbackUrl', 'event_callback_url'], ['eventsFilter', 'events_filter']],
};

export const workspacesProjection: TableProjection = {
  shape: sidKeyedShape('rm_workspaces', 'account_sid', settable, { deletable: false }),
  handlers: {
    WorkspaceCreated: (rows, d) => rows.insert({
      sid: d.workspaceSid, account_sid: d.accountSid, friendly_name: d.friendlyName, default_activity_sid: d.defaultActivitySid,
      timeout_activity_sid: d.timeoutActivitySid, event_callback_url: d.eventCallbackUrl, events_filter: d.eventsFilter,
      multi_task_enabled: d.multiTaskEnabled, prioritize_queue_order: d.prioritizeQueueOrder, date_created: d.at, date_updated: d.at,
    }),
    WorkspaceUpdated: (rows, d) => rows.update({ sid: d.workspaceSid }, { set: changedColumns(d.at, d.changes, WORKSPACE_CHANGES) }),
  },
};
