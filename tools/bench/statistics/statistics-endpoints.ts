import type { WorkloadSummary } from './statistics-workload';

/** One statistics request the benchmark times. */
export interface StatisticsEndpoint {
  readonly name: string;
  /** A few characters, for the chart. */
  readonly label: string;
  readonly method: 'GET' | 'POST';
  /** Under /v1/, with its query string. */
  readonly path: string;
  readonly json?: unknown;
}

/** The thresholds asked for wherever `SplitByWaitTime` is taken. */
export const SPLIT_BY_WAIT_TIME = '10,30,60,300';

/**
 * Every Statistics resource of docs/api-coverage.md on the seeded workspace. Cumulative ones ask
 * for a window from the minute before the first task to now (`StartDate`), so the window holds
 * every seeded task, and for `SplitByWaitTime` where the resource takes it. The single queue is
 * Support, the largest; the single worker one that worked on tasks all hour.
 */
export function statisticsEndpoints(seed: WorkloadSummary): StatisticsEndpoint[] {
  const ws = `Workspaces/${seed.workspaceSid}`;
  const startDate = new Date(Math.floor(seed.firstTaskAt / 60_000) * 60_000 - 60_000).toISOString().replace('.000Z', 'Z');
  const window = `StartDate=${encodeURIComponent(startDate)}`;
  const split = `${window}&SplitByWaitTime=${encodeURIComponent(SPLIT_BY_WAIT_TIME)}`;
  const queue = seed.queues.find((q) => q.name === 'Support')?.sid ?? seed.queues[0].sid;
  const get = (name: string, label: string, path: string): StatisticsEndpoint => ({ name, label, method: 'GET', path: `${ws}/${path}` });
  return [
    get('workspace Statistics', 'WS', `Statistics?${split}`),
    get('workspace RealTimeStatistics', 'WS RT', 'RealTimeStatistics'),
    get('workspace RealTimeStatistics, TaskChannel=chat', 'WS RT ch', 'RealTimeStatistics?TaskChannel=chat'),
    get('workspace CumulativeStatistics', 'WS Cum', `CumulativeStatistics?${split}`),
    get('workspace CumulativeStatistics, TaskChannel=chat', 'WS Cum ch', `CumulativeStatistics?${window}&TaskChannel=chat`),
    get('queue Statistics', 'Q', `TaskQueues/${queue}/Statistics?${split}`),
    get('queue RealTimeStatistics', 'Q RT', `TaskQueues/${queue}/RealTimeStatistics`),
    get('queue CumulativeStatistics', 'Q Cum', `TaskQueues/${queue}/CumulativeStatistics?${split}`),
    get('TaskQueues/Statistics (all queues)', 'Qs', `TaskQueues/Statistics?${split}`),
    {
      name: 'bulk TaskQueues/RealTimeStatistics (all queues)', label: 'Qs bulk', method: 'POST', path: `${ws}/TaskQueues/RealTimeStatistics`,
      json: { QueueSids: seed.queues.map((q) => q.sid) },
    },
    get('Workers/Statistics', 'Wks', `Workers/Statistics?${window}`),
    get('Workers/Statistics, TaskQueueSid', 'Wks by Q', `Workers/Statistics?${window}&TaskQueueSid=${queue}`),
    get('Workers/RealTimeStatistics', 'Wks RT', 'Workers/RealTimeStatistics'),
    get('Workers/CumulativeStatistics', 'Wks Cum', `Workers/CumulativeStatistics?${window}`),
    get('worker Statistics', 'Wk', `Workers/${seed.busyWorkerSid}/Statistics?${window}`),
    get('workflow Statistics', 'WF', `Workflows/${seed.workflowSid}/Statistics?${split}`),
    get('workflow RealTimeStatistics', 'WF RT', `Workflows/${seed.workflowSid}/RealTimeStatistics`),
    get('workflow CumulativeStatistics', 'WF Cum', `Workflows/${seed.workflowSid}/CumulativeStatistics?${split}`),
  ];
}
