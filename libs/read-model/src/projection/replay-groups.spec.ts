import { activitiesProjection } from './activities-projection';
import { REPLAY_GROUPS, typesLeftOut, writtenTypes } from './replay-groups';
import { reservationsProjection } from './reservations-projection';
import { taskChannelsProjection } from './task-channels-projection';
import { taskQueuesProjection } from './task-queues-projection';
import { tasksProjection } from './tasks-projection';
import { workerChannelsProjection } from './worker-channels-projection';
import { workersProjection } from './workers-projection';
import { workflowsProjection } from './workflows-projection';
import { workspacesProjection } from './workspaces-projection';

const ALL = [workspacesProjection, activitiesProjection, taskChannelsProjection, taskQueuesProjection, workflowsProjection, workersProjection, workerChannelsProjection, tasksProjection, reservationsProjection];
const { tasks, workers } = REPLAY_GROUPS;

describe('the replay groups', () => {
  it('write every table once', () => {
    expect([...tasks.projections, ...workers.projections].map((p) => p.shape.table).sort()).toEqual(ALL.map((p) => p.shape.table).sort());
  });

  it('write from disjoint event types, so their counts add up to the log', () => {
    const shared = writtenTypes(workers).filter((type) => writtenTypes(tasks).includes(type));
    expect(shared).toEqual([]);
  });

  it('read, in the workers group, every type its tables and joins show; the tasks group reads all others', () => {
    expect(workers.eventTypes).toEqual(expect.arrayContaining([...writtenTypes(workers), ...Object.keys(workers.narrowed)]));
    expect(tasks.eventTypes).toBeUndefined();
    for (const projection of tasks.projections) for (const type of Object.keys(projection.handlers)) expect(writtenTypes(workers)).not.toContain(type);
  });

  it('leave to the workers group, in the tasks group, exactly the types the workers group writes', () => {
    expect(typesLeftOut([workers]).sort()).toEqual(writtenTypes(workers).sort());
    expect(typesLeftOut([workers])).toEqual(expect.arrayContaining(['WorkerReserved', 'WorkerReservationAccepted', 'WorkerReservationEnded']));
  });

  it('join only columns the full projection writes alike, from the narrowed fields', () => {
    const context = { version: 1, acceptedChannel: () => undefined };
    const inserted: Array<Record<string, unknown>> = [];
    const rows = { insert: (row: Record<string, unknown>) => inserted.push(row) } as never;
    const reserved = { reservationSid: 'WR1', taskSid: 'WT1', workspaceSid: 'WS1', workerSid: 'WK1', workerName: 'w', at: '2026-01-01T00:00:00.000Z' };
    const created = { taskSid: 'WT1', taskChannelUniqueName: 'voice', workspaceSid: 'WS1', workflowSid: 'WW1', attributes: {}, timeout: 60, at: '2026-01-01T00:00:00.000Z' };
    const [reservationTasks, taskChannelNames] = workers.joined;
    const narrow = (type: string, data: Record<string, unknown>) => Object.fromEntries(workers.narrowed[type].map((f) => [f, data[f] ?? null]));

    (reservationTasks.handlers.TaskReserved as (r: unknown, d: unknown, c: unknown) => void)(rows, narrow('TaskReserved', reserved), context);
    (reservationsProjection.handlers.TaskReserved as (r: unknown, d: unknown, c: unknown) => void)(rows, reserved, context);
    (taskChannelNames.handlers.TaskCreated as (r: unknown, d: unknown, c: unknown) => void)(rows, narrow('TaskCreated', created), context);
    (tasksProjection.handlers.TaskCreated as (r: unknown, d: unknown, c: unknown) => void)(rows, created, context);

    expect(inserted[0]).toEqual({ sid: inserted[1].sid, task_sid: inserted[1].task_sid });
    expect(inserted[2]).toEqual({ sid: inserted[3].sid, task_channel_unique_name: inserted[3].task_channel_unique_name });
  });
});
