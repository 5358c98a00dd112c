import { renderWaitSplits } from '../statistics/split-by-wait-time';
import type { ActivityDuration, CumulativeFigures, WaitDurations } from '../statistics/statistics-views';
import { isoSeconds, resourceUrl } from './resource-url';

interface Owner { readonly accountSid: string; readonly workspaceSid: string }

const seconds = (ms: number | null) => (ms === null ? 0 : Math.round(ms / 1000));

/** `{avg, min, max, total}` in whole seconds; all 0 when nothing was counted. */
export function renderWaitDurations(waits: WaitDurations) {
  return { avg: waits.count === 0 ? 0 : Math.round(waits.totalMs / waits.count / 1000), min: seconds(waits.minMs), max: seconds(waits.maxMs), total: seconds(waits.totalMs) };
}

export const renderActivityDurations = (durations: readonly ActivityDuration[]) => durations.map((d) => ({
  sid: d.sid, friendly_name: d.friendlyName, avg: d.workers === 0 ? 0 : Math.round(d.totalSeconds / d.workers),
  min: d.minSeconds, max: d.maxSeconds, total: d.totalSeconds,
}));

/** What every task-side cumulative resource has (workspace, queue, workflow). */
function taskCumulative(figures: CumulativeFigures) {
  const c = figures.counts;
  return {
    avg_task_acceptance_time: renderWaitDurations(c.untilAccepted).avg,
    start_time: isoSeconds(figures.start.toISOString()), end_time: isoSeconds(figures.end.toISOString()),
    ...renderReservationCounts(figures),
    split_by_wait_time: figures.splits.length > 0 ? renderWaitSplits(figures.splits) : null,
    wait_duration_until_accepted: renderWaitDurations(c.untilAccepted), wait_duration_until_canceled: renderWaitDurations(c.untilCanceled),
    tasks_canceled: c.tasksCanceled, tasks_completed: c.tasksCompleted,
    // No Task is ever deleted here (there is no Task DELETE): always 0.
    tasks_deleted: 0, tasks_moved: c.tasksMoved,
  };
}

/** Reservation outcomes; none is ever rescinded here (one reservation per task at a time): always 0. */
function renderReservationCounts({ counts: c }: CumulativeFigures) {
  return {
    reservations_created: c.reservationsCreated, reservations_accepted: c.reservationsAccepted, reservations_rejected: c.reservationsRejected,
    reservations_timed_out: c.reservationsTimedOut, reservations_canceled: c.reservationsCanceled, reservations_rescinded: 0,
  };
}

/** The body of `GET /Workspaces/{WS}/CumulativeStatistics` (`withIds`: false inside `/Statistics`). */
export function renderWorkspaceCumulative(owner: Owner, figures: CumulativeFigures, baseUrl: string, withIds = true) {
  const body = { ...taskCumulative(figures), tasks_created: figures.counts.tasksCreated, tasks_timed_out_in_workflow: figures.counts.tasksTimedOutInWorkflow };
  if (!withIds) return body;
  return { account_sid: owner.accountSid, ...body, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/CumulativeStatistics`) };
}

/** The body of `GET /TaskQueues/{WQ}/CumulativeStatistics`. */
export function renderQueueCumulative(owner: Owner, queueSid: string, figures: CumulativeFigures, baseUrl: string, withIds = true) {
  const body = {
    ...taskCumulative(figures), tasks_entered: figures.counts.tasksEntered,
    wait_duration_in_queue_until_accepted: renderWaitDurations(figures.counts.inQueueUntilAccepted),
  };
  if (!withIds) return body;
  return {
    account_sid: owner.accountSid, ...body, task_queue_sid: queueSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/TaskQueues/${queueSid}/CumulativeStatistics`),
  };
}

/** The body of `GET /Workflows/{WW}/CumulativeStatistics`: a workflow's tasks "entered" it when they were created with it. */
export function renderWorkflowCumulative(owner: Owner, workflowSid: string, figures: CumulativeFigures, baseUrl: string, withIds = true) {
  const body = { ...taskCumulative(figures), tasks_entered: figures.counts.tasksCreated, tasks_timed_out_in_workflow: figures.counts.tasksTimedOutInWorkflow };
  if (!withIds) return body;
  return {
    account_sid: owner.accountSid, ...body, workflow_sid: workflowSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workflows/${workflowSid}/CumulativeStatistics`),
  };
}

/** The workers' cumulative figures: reservation outcomes and the activities' durations. */
export function renderWorkersCumulativeFigures(figures: CumulativeFigures) {
  return {
    ...renderReservationCounts(figures), activity_durations: renderActivityDurations(figures.activityDurations ?? []),
    start_time: isoSeconds(figures.start.toISOString()), end_time: isoSeconds(figures.end.toISOString()),
  };
}

/** The body of `GET /Workers/CumulativeStatistics`. */
export function renderWorkersCumulative(owner: Owner, figures: CumulativeFigures, baseUrl: string) {
  return {
    account_sid: owner.accountSid, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workers/CumulativeStatistics`),
    ...renderWorkersCumulativeFigures(figures),
  };
}
