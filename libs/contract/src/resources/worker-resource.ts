import { isoSeconds, resourceUrl } from './resource-url';

export interface WorkerView {
  sid: string; accountSid: string; workspaceSid: string; friendlyName: string; attributes: Record<string, unknown>;
  activitySid: string; activityName: string; available: boolean; dateCreated: string; dateUpdated: string; dateStatusChanged: string;
  /** The worker stream's version: the ETag, and what If-Match compares with. */
  version: number;
}

/** `attributes` appears only when one resource is fetched; lists carry null (TaskRouter's rule). */
export function renderWorker(view: WorkerView, baseUrl: string, options: { withAttributes: boolean }) {
  const url = resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Workers/${view.sid}`);
  return {
    account_sid: view.accountSid, activity_name: view.activityName, activity_sid: view.activitySid,
    attributes: options.withAttributes ? JSON.stringify(view.attributes) : null, available: view.available,
    date_created: isoSeconds(view.dateCreated), date_status_changed: isoSeconds(view.dateStatusChanged), date_updated: isoSeconds(view.dateUpdated),
    friendly_name: view.friendlyName, sid: view.sid, workspace_sid: view.workspaceSid, url,
    links: {
      activity: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Activities/${view.activitySid}`), channels: `${url}/Channels`,
      cumulative_statistics: `${url}/CumulativeStatistics`, real_time_statistics: `${url}/RealTimeStatistics`, reservations: `${url}/Reservations`,
      statistics: `${url}/Statistics`, worker_channels: `${url}/Channels`, worker_statistics: `${url}/Statistics`,
      workspace: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}`),
    },
  };
}
