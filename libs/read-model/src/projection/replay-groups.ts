import { activitiesProjection } from './activities-projection';
import type { TableProjection } from './projection-context';
import { reservationsProjection } from './reservations-projection';
import { column } from './table-shape';
import { taskChannelsProjection } from './task-channels-projection';
import { taskQueuesProjection } from './task-queues-projection';
import { tasksProjection } from './tasks-projection';
import { workerChannelsProjection } from './worker-channels-projection';
import { workersProjection } from './workers-projection';
import { workflowsProjection } from './workflows-projection';
import { workspacesProjection } from './workspaces-projection';

/**
 * Tables a replay can fold apart from the others, on a thread of its own, reading only the
 * event types they show. Tables depend on each other only through the accept's channel (a
 * worker channel's `assigned_tasks` follows reservation → task → channel), so a group with the
 * worker channels but not the reservations and tasks folds those two as `joined`: only the
 * columns the join reads, from events narrowed in SQL to the fields those columns take, and
 * never written.
 */
export interface ReplayGroup {
  /** The tables the group writes. */
  readonly projections: readonly TableProjection[];
  /** Folded so the fold answers its joins as the full fold would; never written. */
  readonly joined: readonly TableProjection[];
  /** Per event type the `joined` tables read: the only fields of its data they need. */
  readonly narrowed: Readonly<Record<string, readonly string[]>>;
  /** The event types the group reads, or undefined: every type no other group writes. */
  readonly eventTypes?: readonly string[];
}

/** Reservations as the accept's join reads them: which task each is for. */
const reservationTasks: TableProjection = {
  shape: { table: 'rm_reservations', key: [column('sid', 'text')], columns: [column('sid', 'text'), column('task_sid', 'text')], settable: [], counters: [] },
  handlers: { TaskReserved: (rows, d) => rows.insert({ sid: d.reservationSid, task_sid: d.taskSid }) },
};

/** Tasks as the accept's join reads them: each one's channel. */
const taskChannelNames: TableProjection = {
  shape: { table: 'rm_tasks', key: [column('sid', 'text')], columns: [column('sid', 'text'), column('task_channel_unique_name', 'text')], settable: [], counters: [] },
  handlers: { TaskCreated: (rows, d) => rows.insert({ sid: d.taskSid, task_channel_unique_name: d.taskChannelUniqueName }) },
};

const handledTypes = (projections: readonly TableProjection[]): string[] => [...new Set(projections.flatMap((p) => Object.keys(p.handlers)))];

/** Workers and their channels: about 40% of a realistic log's events, and its accept joins. */
const workersGroup: ReplayGroup = {
  projections: [workersProjection, workerChannelsProjection],
  joined: [reservationTasks, taskChannelNames],
  narrowed: { TaskReserved: ['reservationSid', 'taskSid'], TaskCreated: ['taskSid', 'taskChannelUniqueName'] },
  eventTypes: handledTypes([workersProjection, workerChannelsProjection, reservationTasks, taskChannelNames]),
};

/** Everything else, tasks and reservations first among it; it reads every type the workers' group does not write. */
const tasksGroup: ReplayGroup = {
  projections: [workspacesProjection, activitiesProjection, taskChannelsProjection, taskQueuesProjection, workflowsProjection, tasksProjection, reservationsProjection],
  joined: [],
  narrowed: {},
};

/** The first group folds on the replay's own thread, the second on a worker thread. */
export const REPLAY_GROUPS = { tasks: tasksGroup, workers: workersGroup } as const;

/** The event types a group writes from: together the groups' types are every type any table shows, each in one group only. */
export function writtenTypes(group: ReplayGroup): string[] {
  return handledTypes(group.projections);
}

/** The types a group with `eventTypes` undefined leaves to the others: those they write. */
export function typesLeftOut(others: readonly ReplayGroup[]): string[] {
  return others.flatMap(writtenTypes);
}
