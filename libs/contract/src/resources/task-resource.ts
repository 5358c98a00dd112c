import { isoSeconds, resourceUrl } from './resource-url';

export interface TaskView {
  sid: string; accountSid: string; workspaceSid: string; workflowSid: string; workflowFriendlyName: string | null;
  attributes: Record<string, unknown>; assignmentStatus: string; priority: number; reason: string | null;
  taskQueueSid: string | null; taskQueueFriendlyName: string | null; taskQueueEnteredDate: string | null;
  taskChannelSid: string; taskChannelUniqueName: string; timeout: number; dateCreated: string; dateUpdated: string;
  version: number;
}

export function renderTask(view: TaskView, baseUrl: string, options: { withAttributes: boolean; now: Date }) {
  const url = resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Tasks/${view.sid}`);
  return {
    account_sid: view.accountSid, age: Math.max(0, Math.floor((options.now.getTime() - Date.parse(view.dateCreated)) / 1000)),
    assignment_status: view.assignmentStatus, attributes: options.withAttributes ? JSON.stringify(view.attributes) : null, addons: null,
    date_created: isoSeconds(view.dateCreated), date_updated: isoSeconds(view.dateUpdated), task_queue_entered_date: isoSeconds(view.taskQueueEnteredDate),
    priority: view.priority, reason: view.reason, sid: view.sid, task_queue_sid: view.taskQueueSid,
    task_queue_friendly_name: view.taskQueueFriendlyName, task_channel_sid: view.taskChannelSid,
    task_channel_unique_name: view.taskChannelUniqueName, timeout: view.timeout, workflow_sid: view.workflowSid,
    workflow_friendly_name: view.workflowFriendlyName, workspace_sid: view.workspaceSid, url,
    links: {
      task_queue: view.taskQueueSid ? resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/TaskQueues/${view.taskQueueSid}`) : null,
      workflow: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}/Workflows/${view.workflowSid}`),
      workspace: resourceUrl(baseUrl, `Workspaces/${view.workspaceSid}`), reservations: `${url}/Reservations`,
    },
    virtual_start_time: isoSeconds(view.dateCreated), ignore_capacity: null, routing_target: null,
  };
}
