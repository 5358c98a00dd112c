import type { WorkerChannelData } from '@taskrouter/domain';
import type { Row } from './row-changes';
import type { TableProjection } from './projection-context';
import { column } from './table-shape';

const channelRow = (d: { workspaceSid: string; workerSid: string; at: string }, channel: WorkerChannelData): Row => ({
  sid: channel.workerChannelSid, workspace_sid: d.workspaceSid, worker_sid: d.workerSid, task_channel_sid: channel.taskChannelSid,
  task_channel_unique_name: channel.uniqueName, configured_capacity: channel.capacity, available: channel.available,
  assigned_tasks: 0, reserved: 0, date_created: d.at, date_updated: d.at,
});

const keyOf = (workerSid: string, channel: string) => ({ worker_sid: workerSid, task_channel_unique_name: channel });
const plusOne = { add: 1, floor: null };
const minusOneDownToZero = { add: -1, floor: 0 };

/** Keyed by worker and channel name, as every event names them; a deleted worker takes all its channels. */
export const workerChannelsProjection: TableProjection = {
  shape: {
    table: 'rm_worker_channels',
    key: [column('worker_sid', 'text'), column('task_channel_unique_name', 'text')],
    columns: [
      column('sid', 'text'), column('workspace_sid', 'text'), column('worker_sid', 'text'), column('task_channel_sid', 'text'),
      column('task_channel_unique_name', 'text'), column('configured_capacity', 'int'), column('available', 'boolean'),
      column('assigned_tasks', 'int'), column('reserved', 'int'), column('date_created', 'timestamptz'), column('date_updated', 'timestamptz'),
    ],
    settable: [column('configured_capacity', 'int'), column('available', 'boolean'), column('date_updated', 'timestamptz')],
    counters: [column('assigned_tasks', 'int'), column('reserved', 'int')],
    deleteBy: 'worker_sid',
  },
  handlers: {
    WorkerCreated: (rows, d) => d.channels.forEach((channel) => rows.insert(channelRow(d, channel))),
    WorkerChannelAdded: (rows, d) => rows.insert(channelRow(d, d.channel)),
    WorkerChannelUpdated: (rows, d) => {
      const set: Record<string, unknown> = { date_updated: d.at };
      if (d.capacity != null) set.configured_capacity = d.capacity;
      if (d.available != null) set.available = d.available;
      rows.update(keyOf(d.workerSid, d.uniqueName), { set });
    },
    WorkerReserved: (rows, d) => rows.update(keyOf(d.workerSid, d.channel), { set: { date_updated: d.at }, counters: { reserved: plusOne } }),
    WorkerReservationAccepted: (rows, d, context) => {
      // The event does not name the channel: it is the reserved task's, found through the reservation.
      const channel = context.acceptedChannel(d.workerSid, d.reservationSid);
      if (typeof channel === 'string') rows.update(keyOf(d.workerSid, channel), { set: { date_updated: d.at }, counters: { assigned_tasks: plusOne } });
    },
    WorkerReservationEnded: (rows, d) => rows.update(keyOf(d.workerSid, d.channel), {
      set: { date_updated: d.at },
      counters: d.outcome === 'completed' ? { reserved: minusOneDownToZero, assigned_tasks: minusOneDownToZero } : { reserved: minusOneDownToZero },
    }),
    WorkerDeleted: (rows, d) => rows.delete(d.workerSid),
  },
};
