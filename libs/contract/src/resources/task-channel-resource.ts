import { isoSeconds, resourceUrl } from './resource-url';

export interface TaskChannelView {
  sid: string; accountSid: string; workspaceSid: string; uniqueName: string; friendlyName: string; channelOptimizedRouting: boolean;
  dateCreated: string; dateUpdated: string;
}

export function renderTaskChannel(view: TaskChannelView, baseUrl: string) {
  return {
    account_sid: view.accountSid, date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated),
    friendly_name: view.friendlyName, sid: view.sid, unique_name: view.uniqueName, workspace_sid: view.workspaceSid,
    channel_optimized_routing: view.channelOptimizedRouting,
    url: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/TaskChannels/${view.sid}`),
    links: { workspace: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}`) },
  };
}
