import { isoSeconds, resourceUrl } from './resource-url';

export interface TaskQueueView {
  sid: string; accountSid: string; workspaceSid: string; friendlyName: string; targetWorkers: string | null;
  maxReservedWorkers: number; taskOrder: string;
  reservationActivitySid: string | null; reservationActivityName: string | null;
  assignmentActivitySid: string | null; assignmentActivityName: string | null;
  dateCreated: string; dateUpdated: string;
}

export function renderTaskQueue(view: TaskQueueView, baseUrl: string) {
  const url = resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/TaskQueues/${view.sid}`);
  const activity = (sid: string | null) => (sid ? resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Activities/${sid}`) : null);
  return {
    account_sid: view.accountSid, assignment_activity_sid: view.assignmentActivitySid, assignment_activity_name: view.assignmentActivityName,
    date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated), friendly_name: view.friendlyName,
    max_reserved_workers: view.maxReservedWorkers, reservation_activity_sid: view.reservationActivitySid,
    reservation_activity_name: view.reservationActivityName, sid: view.sid, target_workers: view.targetWorkers,
    task_order: view.taskOrder, url, workspace_sid: view.workspaceSid,
    links: {
      assignment_activity: activity(view.assignmentActivitySid), reservation_activity: activity(view.reservationActivitySid),
      workspace: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}`), statistics: `${url}/Statistics`,
      real_time_statistics: `${url}/RealTimeStatistics`, cumulative_statistics: `${url}/CumulativeStatistics`,
      list_statistics: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/TaskQueues/Statistics`),
      bulk_real_time_statistics: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/TaskQueues/RealTimeStatistics`),
    },
  };
}
