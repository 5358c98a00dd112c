import type { TableProjection } from './projection-context';
import { column } from './table-shape';

export const activitiesProjection: TableProjection = {
  shape: {
    table: 'rm_activities',
    key: [column('sid', 'text')],
    columns: [
      column('sid', 'text'), column('workspace_sid', 'text'), column('friendly_name', 'text'), column('available', 'boolean'),
      column('date_created', 'timestamptz'), column('date_updated', 'timestamptz'),
    ],
    settable: [],
    counters: [],
  },
  handlers: {
    ActivityCreated: (rows, d) => rows.insert({
      sid: d.activitySid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, available: d.available, date_created: d.at, date_updated: d.at,
    }),
  },
};
