import { isoSeconds, resourceUrl } from './resource-url';

export interface WorkerChannelView {
  sid: string; accountSid: string; workspaceSid: string; workerSid: string; taskChannelSid: string; taskChannelUniqueName: string;
  configuredCapacity: number; available: boolean; assignedTasks: number;
  /** Reservations holding capacity (pending, accepted, wrapping). */
  reserved: number; dateCreated: string; dateUpdated: string;
}

export function renderWorkerChannel(view: WorkerChannelView, baseUrl: string) {
  // floor((1 - reserved / capacity) * 100), in integers: the float form is one too low for 4 of 5 and others.
  const free = view.configuredCapacity === 0 ? 0 : Math.max(0, Math.floor((100 * (view.configuredCapacity - view.reserved)) / view.configuredCapacity));
  return {
    account_sid: view.accountSid, assigned_tasks: view.assignedTasks, available: view.available, available_capacity_percentage: free,
    configured_capacity: view.configuredCapacity, date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated),
    sid: view.sid, task_channel_sid: view.taskChannelSid, task_channel_unique_name: view.taskChannelUniqueName,
    worker_sid: view.workerSid, workspace_sid: view.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Workers/${view.workerSid}/Channels/${view.taskChannelUniqueName}`),
  };
}
