import { isoSeconds, resourceUrl } from './resource-url';

export interface WorkflowView {
  sid: string; accountSid: string; workspaceSid: string; friendlyName: string; configuration: string; taskReservationTimeout: number;
  assignmentCallbackUrl: string | null; fallbackAssignmentCallbackUrl: string | null; dateCreated: string; dateUpdated: string;
}

export function renderWorkflow(view: WorkflowView, baseUrl: string) {
  const url = resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Workflows/${view.sid}`);
  return {
    account_sid: view.accountSid, assignment_callback_url: view.assignmentCallbackUrl, configuration: view.configuration,
    date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated), document_content_type: 'application/json',
    fallback_assignment_callback_url: view.fallbackAssignmentCallbackUrl, friendly_name: view.friendlyName, sid: view.sid,
    task_reservation_timeout: view.taskReservationTimeout, workspace_sid: view.workspaceSid, url,
    links: { statistics: `${url}/Statistics`, real_time_statistics: `${url}/RealTimeStatistics`, cumulative_statistics: `${url}/CumulativeStatistics` },
  };
}
