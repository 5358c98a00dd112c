import type { ActivityCount, TaskFigures, WorkerFigures } from '../statistics/statistics-views';
import { resourceUrl } from './resource-url';

/** The statuses `tasks_by_status` always lists, as TaskRouter's examples do: the tasks still in the system. */
export const LIVE_TASK_STATUSES = ['pending', 'reserved', 'assigned', 'wrapping'] as const;

interface Owner { readonly accountSid: string; readonly workspaceSid: string }

export const renderActivityStatistics = (activities: readonly ActivityCount[]) =>
  activities.map((a) => ({ friendly_name: a.friendlyName, sid: a.sid, workers: a.workers }));

/** The task figures every real-time resource has; counts are integers (docs/taskrouter-choices.md). */
export function renderTaskFigures(tasks: TaskFigures) {
  const byStatus = Object.fromEntries(LIVE_TASK_STATUSES.map((status) => [status, tasks.tasksByStatus[status] ?? 0]));
  return {
    longest_task_waiting_age: tasks.longestWaiting?.ageSeconds ?? 0, longest_task_waiting_sid: tasks.longestWaiting?.sid ?? null,
    tasks_by_priority: { ...tasks.tasksByPriority }, tasks_by_status: byStatus, total_tasks: tasks.totalTasks,
  };
}

/** The body of `GET /Workspaces/{WS}/RealTimeStatistics` (`withIds`: false inside `/Statistics`). */
export function renderWorkspaceRealTime(owner: Owner, tasks: TaskFigures, workers: WorkerFigures, baseUrl: string, withIds = true) {
  const figures = { activity_statistics: renderActivityStatistics(workers.activities), ...renderTaskFigures(tasks), total_workers: workers.totalWorkers };
  if (!withIds) return figures;
  return { account_sid: owner.accountSid, ...figures, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/RealTimeStatistics`) };
}

/** A queue's real-time figures, as the bulk endpoint lists them. */
export function renderQueueRealTimeFigures(queueSid: string, tasks: TaskFigures, workers: WorkerFigures) {
  return {
    task_queue_sid: queueSid, activity_statistics: renderActivityStatistics(workers.activities), ...renderTaskFigures(tasks),
    longest_relative_task_age_in_queue: tasks.longestInQueue?.ageSeconds ?? 0, longest_relative_task_sid_in_queue: tasks.longestInQueue?.sid ?? null,
    total_available_workers: workers.availableWorkers ?? 0, total_eligible_workers: workers.totalWorkers,
  };
}

/** The body of `GET /TaskQueues/{WQ}/RealTimeStatistics`. */
export function renderQueueRealTime(owner: Owner, queueSid: string, tasks: TaskFigures, workers: WorkerFigures, baseUrl: string, withIds = true) {
  const { task_queue_sid: _sid, ...figures } = renderQueueRealTimeFigures(queueSid, tasks, workers);
  if (!withIds) return figures;
  return {
    account_sid: owner.accountSid, ...figures, task_queue_sid: queueSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/TaskQueues/${queueSid}/RealTimeStatistics`),
  };
}

/** The body of `POST /TaskQueues/RealTimeStatistics`: one entry per SID asked for, in the order asked. */
export function renderBulkQueueRealTime(owner: Owner, queues: ReadonlyArray<{ sid: string; tasks: TaskFigures; workers: WorkerFigures }>, baseUrl: string) {
  return {
    account_sid: owner.accountSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/TaskQueues/RealTimeStatistics`),
    task_queue_data: queues.map((queue) => renderQueueRealTimeFigures(queue.sid, queue.tasks, queue.workers)),
    task_queue_response_count: queues.length,
  };
}

/** The body of `GET /Workers/RealTimeStatistics`. */
export function renderWorkersRealTime(owner: Owner, workers: WorkerFigures, baseUrl: string, withIds = true) {
  const figures = { activity_statistics: renderActivityStatistics(workers.activities), total_workers: workers.totalWorkers };
  if (!withIds) return figures;
  return { account_sid: owner.accountSid, ...figures, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workers/RealTimeStatistics`) };
}

/** The body of `GET /Workflows/{WW}/RealTimeStatistics`. */
export function renderWorkflowRealTime(owner: Owner, workflowSid: string, tasks: TaskFigures, baseUrl: string, withIds = true) {
  const figures = renderTaskFigures(tasks);
  if (!withIds) return figures;
  return {
    account_sid: owner.accountSid, ...figures, workflow_sid: workflowSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workflows/${workflowSid}/RealTimeStatistics`),
  };
}
