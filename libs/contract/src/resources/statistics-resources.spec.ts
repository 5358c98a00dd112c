import { NO_COUNTS, type CumulativeFigures, type TaskFigures } from '../statistics/statistics-views';
import { renderQueueCumulative, renderWaitDurations, renderWorkersCumulativeFigures, renderWorkflowCumulative } from './cumulative-statistics-resource';
import { renderBulkQueueRealTime, renderQueueRealTime, renderWorkspaceRealTime } from './real-time-statistics-resource';

const owner = { accountSid: 'AC1', workspaceSid: 'WS1' };
const BASE = 'https://tr.example';
const tasks: TaskFigures = {
  tasksByStatus: { pending: 2, assigned: 1 }, tasksByPriority: { 0: 2, 10: 1 }, totalTasks: 3,
  longestWaiting: { sid: 'WT1', ageSeconds: 42 }, longestInQueue: { sid: 'WT2', ageSeconds: 7 },
};
const workers = { activities: [{ sid: 'WA1', friendlyName: 'Offline', workers: 2 }], totalWorkers: 2, availableWorkers: 1 };
const figures = (counts = NO_COUNTS): CumulativeFigures => ({ start: new Date('2026-01-01T10:00:00.500Z'), end: new Date('2026-01-01T10:15:00Z'), counts, splits: [] });

describe('the statistics renderers', () => {
  it('list every live status with integer counts, and the longest waiting task', () => {
    expect(renderWorkspaceRealTime(owner, tasks, workers, BASE)).toEqual({
      account_sid: 'AC1', activity_statistics: [{ friendly_name: 'Offline', sid: 'WA1', workers: 2 }], longest_task_waiting_age: 42, longest_task_waiting_sid: 'WT1',
      tasks_by_priority: { 0: 2, 10: 1 }, tasks_by_status: { pending: 2, reserved: 0, assigned: 1, wrapping: 0 }, total_tasks: 3, total_workers: 2,
      workspace_sid: 'WS1', url: 'https://tr.example/v1/Workspaces/WS1/RealTimeStatistics',
    });
  });

  it('give a queue its eligible and available workers and its relative longest wait; nothing waiting is 0 and null', () => {
    expect(renderQueueRealTime(owner, 'WQ1', tasks, workers, BASE)).toMatchObject({
      total_eligible_workers: 2, total_available_workers: 1, longest_relative_task_age_in_queue: 7, longest_relative_task_sid_in_queue: 'WT2', task_queue_sid: 'WQ1',
    });
    const none = { ...tasks, longestWaiting: null, longestInQueue: null };
    expect(renderQueueRealTime(owner, 'WQ1', none, workers, BASE, false)).toMatchObject({ longest_task_waiting_age: 0, longest_task_waiting_sid: null });
    expect(renderQueueRealTime(owner, 'WQ1', tasks, workers, BASE, false)).not.toHaveProperty('url');
  });

  it('answer the bulk request in the order asked, with its count', () => {
    const body = renderBulkQueueRealTime(owner, [{ sid: 'WQ2', tasks, workers }, { sid: 'WQ1', tasks, workers }], BASE);
    expect(body.task_queue_response_count).toBe(2);
    expect(body.task_queue_data.map((q) => q.task_queue_sid)).toEqual(['WQ2', 'WQ1']);
  });

  it('render waits in whole seconds, zeros when nothing was counted', () => {
    expect(renderWaitDurations({ count: 3, totalMs: 10_400, minMs: 1_000, maxMs: 6_600 })).toEqual({ avg: 3, min: 1, max: 7, total: 10 });
    expect(renderWaitDurations({ count: 0, totalMs: 0, minMs: null, maxMs: null })).toEqual({ avg: 0, min: 0, max: 0, total: 0 });
  });

  it('give a queue tasks_entered and the wait in queue, a workflow its created tasks as entered; times to the second', () => {
    const counts = { ...NO_COUNTS, tasksCreated: 4, tasksEntered: 9, untilAccepted: { count: 2, totalMs: 8_000, minMs: 2_000, maxMs: 6_000 } };
    expect(renderQueueCumulative(owner, 'WQ1', figures(counts), BASE)).toMatchObject({
      tasks_entered: 9, avg_task_acceptance_time: 4, start_time: '2026-01-01T10:00:00Z', end_time: '2026-01-01T10:15:00Z', split_by_wait_time: null,
      wait_duration_in_queue_until_accepted: { avg: 0, min: 0, max: 0, total: 0 }, tasks_deleted: 0, reservations_rescinded: 0,
      url: 'https://tr.example/v1/Workspaces/WS1/TaskQueues/WQ1/CumulativeStatistics',
    });
    expect(renderWorkflowCumulative(owner, 'WW1', figures(counts), BASE)).toMatchObject({ tasks_entered: 4, workflow_sid: 'WW1' });
  });

  it('average an activity over the workers that spent time in it', () => {
    const withDurations = { ...figures(), activityDurations: [{ sid: 'WA1', friendlyName: 'Offline', workers: 4, totalSeconds: 1000, minSeconds: 10, maxSeconds: 600 }] };
    expect(renderWorkersCumulativeFigures(withDurations).activity_durations).toEqual([{ sid: 'WA1', friendly_name: 'Offline', avg: 250, min: 10, max: 600, total: 1000 }]);
  });
});
