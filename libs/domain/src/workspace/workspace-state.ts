import type { ActivityData, TaskChannelData, WorkspaceEvent } from './workspace-events';
import { ownEntry } from '../shared/own-entry';

export interface WorkspaceState {
  readonly exists: boolean;
  readonly workspaceSid: string;
  readonly accountSid: string;
  readonly friendlyName: string;
  readonly multiTaskEnabled: boolean;
  readonly prioritizeQueueOrder: 'FIFO' | 'LIFO';
  readonly defaultActivitySid: string;
  readonly timeoutActivitySid: string;
  readonly eventCallbackUrl: string | null;
  readonly eventsFilter: string | null;
  readonly activities: Readonly<Record<string, ActivityData>>;
  readonly channels: Readonly<Record<string, TaskChannelData>>;
}

export const initialWorkspaceState: WorkspaceState = {
  exists: false, workspaceSid: '', accountSid: '', friendlyName: '', multiTaskEnabled: true, prioritizeQueueOrder: 'FIFO',
  defaultActivitySid: '', timeoutActivitySid: '', eventCallbackUrl: null, eventsFilter: null, activities: {}, channels: {},
};

export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  switch (event.type) {
    case 'WorkspaceCreated': {
      const { at: _at, ...data } = event.data;
      return { ...state, ...data, exists: true };
    }
    case 'WorkspaceUpdated':
      return { ...state, ...event.data.changes };
    case 'ActivityCreated': {
      const { activitySid, friendlyName, available } = event.data;
      return { ...state, activities: { ...state.activities, [activitySid]: { activitySid, friendlyName, available } } };
    }
    case 'TaskChannelCreated': {
      const { taskChannelSid, uniqueName, friendlyName, channelOptimizedRouting } = event.data;
      return { ...state, channels: { ...state.channels, [uniqueName]: { taskChannelSid, uniqueName, friendlyName, channelOptimizedRouting } } };
    }
  }
}

/** A TaskChannel named by its unique name or its SID, as TaskRouter's `TaskChannel` parameters allow. */
export function findTaskChannel(state: WorkspaceState, nameOrSid: string): TaskChannelData | undefined {
  return ownEntry(state.channels, nameOrSid) ?? Object.values(state.channels).find((channel) => channel.taskChannelSid === nameOrSid);
}
