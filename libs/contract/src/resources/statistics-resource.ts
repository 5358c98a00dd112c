import { resourceUrl } from './resource-url';

interface Owner { readonly accountSid: string; readonly workspaceSid: string }

/** `GET /Workspaces/{WS}/Statistics`: the real-time and cumulative bodies side by side. */
export function renderWorkspaceStatistics(owner: Owner, realtime: unknown, cumulative: unknown, baseUrl: string) {
  return { account_sid: owner.accountSid, cumulative, realtime, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Statistics`) };
}

/** `GET /TaskQueues/{WQ}/Statistics`, and one item of `GET /TaskQueues/Statistics` (which has no `url`). */
export function renderQueueStatistics(owner: Owner, queueSid: string, realtime: unknown, cumulative: unknown, baseUrl: string | null) {
  const body = { account_sid: owner.accountSid, cumulative, realtime, task_queue_sid: queueSid, workspace_sid: owner.workspaceSid };
  return baseUrl === null ? body : { ...body, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/TaskQueues/${queueSid}/Statistics`) };
}

/** `GET /Workflows/{WW}/Statistics`. */
export function renderWorkflowStatistics(owner: Owner, workflowSid: string, realtime: unknown, cumulative: unknown, baseUrl: string) {
  return {
    account_sid: owner.accountSid, cumulative, realtime, workflow_sid: workflowSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workflows/${workflowSid}/Statistics`),
  };
}

/** `GET /Workers/Statistics`. */
export function renderWorkersStatistics(owner: Owner, realtime: unknown, cumulative: unknown, baseUrl: string) {
  return { account_sid: owner.accountSid, cumulative, realtime, workspace_sid: owner.workspaceSid, url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workers/Statistics`) };
}

/** `GET /Workers/{WK}/Statistics`: cumulative only, as TaskRouter's. */
export function renderWorkerStatistics(owner: Owner, workerSid: string, cumulative: unknown, baseUrl: string) {
  return {
    account_sid: owner.accountSid, cumulative, worker_sid: workerSid, workspace_sid: owner.workspaceSid,
    url: resourceUrl(baseUrl, `Workspaces/${owner.workspaceSid}/Workers/${workerSid}/Statistics`),
  };
}
