import type { TaskRouterTestClient } from '@taskrouter/testing';

export interface OneQueueWorkspace {
  readonly workspace: string;
  /** A path inside the workspace. */
  ws(path: string): string;
  readonly available: string;
  readonly offline: string;
  /** A queue every worker belongs to. */
  readonly queue: string;
  /** A workflow that sends every task to that queue. */
  readonly workflow: string;
}

/** The smallest routing set-up: one workspace, one queue of everybody, one workflow into it. */
export async function oneQueueWorkspace(api: TaskRouterTestClient, friendlyName = 'ws'): Promise<OneQueueWorkspace> {
  const workspace = (await api.ok('POST', 'Workspaces', { FriendlyName: friendlyName })).sid as string;
  const ws = (path: string) => `Workspaces/${workspace}/${path}`;
  const activities = (await api.ok('GET', ws('Activities'))).activities as Array<{ sid: string; friendly_name: string }>;
  const available = activities.find((a) => a.friendly_name === 'Available')!.sid;
  const offline = activities.find((a) => a.friendly_name === 'Offline')!.sid;
  const queue = (await api.ok('POST', ws('TaskQueues'), { FriendlyName: 'all', TargetWorkers: '1==1' })).sid as string;
  const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue } } });
  const workflow = (await api.ok('POST', ws('Workflows'), { FriendlyName: 'all', Configuration: configuration })).sid as string;
  return { workspace, ws, available, offline, queue, workflow };
}
