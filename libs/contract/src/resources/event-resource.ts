import { isoSeconds, resourceUrl } from './resource-url';

export interface EventView {
  sid: string; accountSid: string; workspaceSid: string; eventType: string; description: string;
  resourceType: string; resourceSid: string; actorType: string; actorSid: string | null;
  eventData: Record<string, string>; eventDateMs: number;
}

/** Where each resource type lives under its workspace; a reservation is served under its task. */
function pathOf(type: string, sid: string, data: Record<string, string>): string | null {
  switch (type) {
    case 'workspace': return '';
    case 'activity': return `/Activities/${sid}`;
    case 'task-channel': return `/TaskChannels/${sid}`;
    case 'task-queue': return `/TaskQueues/${sid}`;
    case 'workflow': return `/Workflows/${sid}`;
    case 'worker': return `/Workers/${sid}`;
    case 'task': return `/Tasks/${sid}`;
    case 'reservation': return data.task_sid ? `/Tasks/${data.task_sid}/Reservations/${sid}` : null;
    default: return null;
  }
}

/** The Event resource (reference §10.3, OAS `taskrouter.v1.workspace.event`). */
export function renderEvent(view: EventView, baseUrl: string) {
  const workspace = `Workspaces/${view.workspaceSid}`;
  const urlOf = (type: string, sid: string | null) => {
    const path = sid ? pathOf(type, sid, view.eventData) : null;
    return path === null ? null : resourceUrl(baseUrl, `${workspace}${path}`);
  };
  return {
    account_sid: view.accountSid, actor_sid: view.actorSid, actor_type: view.actorType, actor_url: urlOf(view.actorType, view.actorSid),
    description: view.description, event_data: view.eventData, event_date: isoSeconds(new Date(view.eventDateMs).toISOString()),
    event_date_ms: view.eventDateMs, event_type: view.eventType, resource_sid: view.resourceSid, resource_type: view.resourceType,
    resource_url: urlOf(view.resourceType, view.resourceSid), sid: view.sid, source: 'open-taskrouter', source_ip_address: null,
    url: resourceUrl(baseUrl, `${workspace}/Events/${view.sid}`), workspace_sid: view.workspaceSid,
  };
}
