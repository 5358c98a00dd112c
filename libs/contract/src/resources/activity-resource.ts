import { isoSeconds, resourceUrl } from './resource-url';

export interface ActivityView { sid: string; accountSid: string; workspaceSid: string; friendlyName: string; available: boolean; dateCreated: string; dateUpdated: string }

export function renderActivity(view: ActivityView, baseUrl: string) {
  return {
    account_sid: view.accountSid, available: view.available, date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated),
    friendly_name: view.friendlyName, sid: view.sid, workspace_sid: view.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Activities/${view.sid}`),
    links: { workspace: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}`) },
  };
}
