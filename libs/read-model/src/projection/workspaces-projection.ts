import type { TableProjection } from './projection-context';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('default_activity_sid', 'text'), column('timeout_activity_sid', 'text'), column('event_callback_url', 'text'),
  column('events_filter', 'text'), column('multi_task_enabled', 'boolean'), column('prioritize_queue_order', 'text'), column('date_updated', 'timestamptz'),
];

export const workspacesProjection: TableProjection = {
  shape: sidKeyedShape('rm_workspaces', 'account_sid', settable, { deletable: false }),
  handlers: {
    WorkspaceCreated: (rows, d) => rows.insert({
      sid: d.workspaceSid, account_sid: d.accountSid, friendly_name: d.friendlyName, default_activity_sid: d.defaultActivitySid,
      timeout_activity_sid: d.timeoutActivitySid, event_callback_url: d.eventCallbackUrl, events_filter: d.eventsFilter,
      multi_task_enabled: d.multiTaskEnabled, prioritize_queue_order: d.prioritizeQueueOrder, date_created: d.at, date_updated: d.at,
    }),
    WorkspaceUpdated: (rows, d) => {
      const c = d.changes;
      // A null leaves the column as it is (coalesce), except for the two a change may clear.
      const set: Record<string, unknown> = { date_updated: d.at };
      if (c.friendlyName != null) set.friendly_name = c.friendlyName;
      if (c.defaultActivitySid != null) set.default_activity_sid = c.defaultActivitySid;
      if (c.timeoutActivitySid != null) set.timeout_activity_sid = c.timeoutActivitySid;
      if ('eventCallbackUrl' in c) set.event_callback_url = c.eventCallbackUrl ?? null;
      if ('eventsFilter' in c) set.events_filter = c.eventsFilter ?? null;
      if (c.multiTaskEnabled != null) set.multi_task_enabled = c.multiTaskEnabled;
      if (c.prioritizeQueueOrder != null) set.prioritize_queue_order = c.prioritizeQueueOrder;
      rows.update({ sid: d.workspaceSid }, { set });
    },
  },
};
