import type { RowChanges } from './row-changes';
import type { ProjectionContext, TableProjection } from './projection-context';
import { column, sidKeyedShape } from './table-shape';

const settable = [
  column('friendly_name', 'text'), column('attributes', 'jsonb'), column('activity_sid', 'text'), column('activity_name', 'text'),
  column('available', 'boolean'), column('date_updated', 'timestamptz'), column('date_status_changed', 'timestamptz'), column('version', 'int'),
];

/** Events that change only a worker's channels still move the worker's `date_updated` and `version`. */
const touch = (rows: RowChanges, d: { workerSid: string; at: string }, context: ProjectionContext) =>
  rows.update({ sid: d.workerSid }, { set: { date_updated: d.at, version: context.version } });

export const workersProjection: TableProjection = {
  shape: sidKeyedShape('rm_workers', 'workspace_sid', settable, { deletable: true }),
  handlers: {
    WorkerCreated: (rows, d, context) => rows.insert({
      sid: d.workerSid, workspace_sid: d.workspaceSid, friendly_name: d.friendlyName, attributes: d.attributes,
      activity_sid: d.activity.sid, activity_name: d.activity.name, available: d.activity.available,
      date_created: d.at, date_updated: d.at, date_status_changed: d.at, version: context.version,
    }),
    WorkerActivityChanged: (rows, d, context) => rows.update({ sid: d.workerSid }, {
      set: {
        activity_sid: d.activity.sid, activity_name: d.activity.name, available: d.activity.available,
        date_status_changed: d.at, date_updated: d.at, version: context.version,
      },
    }),
    WorkerUpdated: (rows, d, context) => {
      const set: Record<string, unknown> = { date_updated: d.at, version: context.version };
      if (d.friendlyName != null) set.friendly_name = d.friendlyName;
      if (d.attributes) set.attributes = d.attributes;
      rows.update({ sid: d.workerSid }, { set });
    },
    WorkerChannelAdded: (rows, d, context) => touch(rows, d, context),
    WorkerChannelUpdated: (rows, d, context) => touch(rows, d, context),
    WorkerReserved: (rows, d, context) => touch(rows, d, context),
    WorkerReservationAccepted: (rows, d, context) => touch(rows, d, context),
    WorkerReservationEnded: (rows, d, context) => touch(rows, d, context),
    WorkerDeleted: (rows, d) => rows.delete(d.workerSid),
  },
};
