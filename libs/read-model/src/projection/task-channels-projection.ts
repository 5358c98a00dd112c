import type { TableProjection } from './projection-context';
import { column } from './table-shape';

export const taskChannelsProjection: TableProjection = {
  shape: {
    table: 'rm_task_channels',
    key: [column('sid', 'text')],
    columns: [
      column('sid', 'text'), column('workspace_sid', 'text'), column('unique_name', 'text'), column('friendly_name', 'text'),
      column('channel_optimized_routing', 'boolean'), column('date_created', 'timestamptz'), column('date_updated', 'timestamptz'),
    ],
    settable: [],
    counters: [],
  },
  handlers: {
    TaskChannelCreated: (rows, d) => rows.insert({
      sid: d.taskChannelSid, workspace_sid: d.workspaceSid, unique_name: d.uniqueName, friendly_name: d.friendlyName,
      channel_optimized_routing: d.channelOptimizedRouting, date_created: d.at, date_updated: d.at,
    }),
  },
};
