import { isoSeconds, resourceUrl } from './resource-url';

export interface WorkspaceView {
  sid: string; accountSid: string; friendlyName: string;
  defaultActivitySid: string; defaultActivityName: string; timeoutActivitySid: string; timeoutActivityName: string;
  eventCallbackUrl: string | null; eventsFilter: string | null; multiTaskEnabled: boolean; prioritizeQueueOrder: string;
  dateCreated: string; dateUpdated: string;
}

export function renderWorkspace(view: WorkspaceView, baseUrl: string) {
  const url = resourceUrl(baseUrl, `Workspaces/${view.sid}`);
  const link = (name: string) => `${url}/${name}`;
  return {
    account_sid: view.accountSid, date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated),
    default_activity_name: view.defaultActivityName, default_activity_sid: view.defaultActivitySid,
    event_callback_url: view.eventCallbackUrl, events_filter: view.eventsFilter, friendly_name: view.friendlyName,
    multi_task_enabled: view.multiTaskEnabled, sid: view.sid, timeout_activity_name: view.timeoutActivityName,
    timeout_activity_sid: view.timeoutActivitySid, prioritize_queue_order: view.prioritizeQueueOrder, url,
    links: {
      activities: link('Activities'), cumulative_statistics: link('CumulativeStatistics'), events: link('Events'),
      real_time_statistics: link('RealTimeStatistics'), statistics: link('Statistics'), task_channels: link('TaskChannels'),
      task_queues: link('TaskQueues'), tasks: link('Tasks'), workers: link('Workers'), workflows: link('Workflows'),
    },
  };
}
