import type { SidSource } from '../shared/sid-source';

export interface CreateWorkspace {
  readonly type: 'CreateWorkspace';
  readonly workspaceSid: string;
  readonly accountSid: string;
  readonly friendlyName: string;
  readonly eventCallbackUrl?: string;
  readonly eventsFilter?: string;
  readonly multiTaskEnabled?: boolean;
  readonly prioritizeQueueOrder?: 'FIFO' | 'LIFO';
  readonly newSid: SidSource;
}
export interface UpdateWorkspace {
  readonly type: 'UpdateWorkspace';
  readonly friendlyName?: string;
  readonly eventCallbackUrl?: string;
  readonly eventsFilter?: string;
  readonly multiTaskEnabled?: boolean;
  readonly prioritizeQueueOrder?: 'FIFO' | 'LIFO';
  readonly defaultActivitySid?: string;
  readonly timeoutActivitySid?: string;
}
export interface CreateActivity { readonly type: 'CreateActivity'; readonly activitySid: string; readonly friendlyName: string; readonly available: boolean }
export interface CreateTaskChannel { readonly type: 'CreateTaskChannel'; readonly taskChannelSid: string; readonly uniqueName: string; readonly friendlyName: string; readonly channelOptimizedRouting: boolean }

export type WorkspaceCommand = CreateWorkspace | UpdateWorkspace | CreateActivity | CreateTaskChannel;
