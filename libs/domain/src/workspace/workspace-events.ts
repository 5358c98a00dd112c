import type { DomainEvent } from '../shared/domain-event';

export interface ActivityData { readonly activitySid: string; readonly friendlyName: string; readonly available: boolean }
export interface TaskChannelData { readonly taskChannelSid: string; readonly uniqueName: string; readonly friendlyName: string; readonly channelOptimizedRouting: boolean }

export type WorkspaceCreated = DomainEvent<'WorkspaceCreated', {
  workspaceSid: string; accountSid: string; friendlyName: string;
  eventCallbackUrl: string | null; eventsFilter: string | null;
  multiTaskEnabled: boolean; prioritizeQueueOrder: 'FIFO' | 'LIFO';
  defaultActivitySid: string; timeoutActivitySid: string; at: string;
}>;
export type WorkspaceUpdated = DomainEvent<'WorkspaceUpdated', {
  workspaceSid: string;
  changes: Partial<{ friendlyName: string; eventCallbackUrl: string | null; eventsFilter: string | null; multiTaskEnabled: boolean; prioritizeQueueOrder: 'FIFO' | 'LIFO'; defaultActivitySid: string; timeoutActivitySid: string }>;
  at: string;
}>;
export type ActivityCreated = DomainEvent<'ActivityCreated', ActivityData & { workspaceSid: string; at: string }>;
export type TaskChannelCreated = DomainEvent<'TaskChannelCreated', TaskChannelData & { workspaceSid: string; at: string }>;

export type WorkspaceEvent = WorkspaceCreated | WorkspaceUpdated | ActivityCreated | TaskChannelCreated;
