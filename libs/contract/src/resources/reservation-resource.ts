import { isoSeconds, resourceUrl } from './resource-url';

export interface ReservationView {
  sid: string; accountSid: string; workspaceSid: string; taskSid: string; workerSid: string; workerName: string;
  reservationStatus: string; dateCreated: string; dateUpdated: string;
}

/** The same reservation is served under the task and under the worker; only `url` differs. */
export function renderReservation(view: ReservationView, baseUrl: string, scope: 'task' | 'worker') {
  const workspace = `Workspaces/${view.workspaceSid}`;
  const path = scope === 'task' ? `${workspace}/Tasks/${view.taskSid}/Reservations/${view.sid}` : `${workspace}/Workers/${view.workerSid}/Reservations/${view.sid}`;
  return {
    account_sid: view.accountSid, date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated),
    reservation_status: view.reservationStatus, sid: view.sid, task_sid: view.taskSid, worker_name: view.workerName,
    worker_sid: view.workerSid, workspace_sid: view.workspaceSid, url: resourceUrl(baseUrl, path),
    links: {
      task: resourceUrl(baseUrl, `${workspace}/Tasks/${view.taskSid}`), worker: resourceUrl(baseUrl, `${workspace}/Workers/${view.workerSid}`),
      workspace: resourceUrl(baseUrl, workspace),
    },
  };
}
