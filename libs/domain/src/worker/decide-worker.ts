import { event } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { checkFriendlyName } from '../shared/friendly-name';
import type { SidSource } from '../shared/sid-source';
import type { WorkspaceState } from '../workspace/workspace-state';
import type { ActivityRef, WorkerEvent } from './worker-events';
import type { WorkerState } from './worker-state';
import { ownEntry } from '../shared/own-entry';

export const MAX_CHANNEL_CAPACITY = 50;
/** Every WorkerChannel starts with capacity 1 and available, as TaskRouter's example shows. */
export const DEFAULT_CHANNEL_CAPACITY = 1;

export interface CreateWorker {
  readonly type: 'CreateWorker';
  readonly workerSid: string;
  readonly friendlyName: string;
  readonly attributes: Record<string, unknown>;
  readonly activitySid?: string;
  readonly newSid: SidSource;
}
export interface UpdateWorker {
  readonly type: 'UpdateWorker';
  readonly friendlyName?: string;
  readonly attributes?: Record<string, unknown>;
  readonly activitySid?: string;
}
export interface UpdateWorkerChannel { readonly type: 'UpdateWorkerChannel'; readonly channel: string; readonly capacity?: number; readonly available?: boolean }
export interface DeleteWorker { readonly type: 'DeleteWorker' }
/** A TaskChannel was created in the workspace: the worker gets its WorkerChannel. */
export interface AddWorkerChannel { readonly type: 'AddWorkerChannel'; readonly uniqueName: string; readonly workerChannelSid: string }
export type WorkerCommand = CreateWorker | UpdateWorker | UpdateWorkerChannel | DeleteWorker | AddWorkerChannel;

export function decideWorker(command: WorkerCommand, state: WorkerState, workspace: WorkspaceState, now: Date): WorkerEvent[] {
  const at = now.toISOString();
  if (!workspace.exists) throw new DomainError('not-found', 'The requested Workspace was not found');
  const workspaceSid = workspace.workspaceSid;
  if (command.type === 'CreateWorker') {
    if (state.exists) throw new DomainError('conflict', `Worker ${command.workerSid} already exists`);
    checkFriendlyName(command.friendlyName, 'FriendlyName');
    const activity = activityRef(workspace, command.activitySid ?? workspace.defaultActivitySid, 'ActivitySid');
    const channels = Object.values(workspace.channels).map((channel) => ({
      workerChannelSid: command.newSid('WC'), taskChannelSid: channel.taskChannelSid, uniqueName: channel.uniqueName,
      capacity: DEFAULT_CHANNEL_CAPACITY, available: true,
    }));
    return [event('WorkerCreated', { workspaceSid, workerSid: command.workerSid, friendlyName: command.friendlyName, attributes: command.attributes, activity, channels, at })];
  }
  if (!state.exists) throw new DomainError('not-found', 'The requested Worker was not found');
  const workerSid = state.workerSid;
  switch (command.type) {
    case 'UpdateWorker': {
      const events: WorkerEvent[] = [];
      if (command.friendlyName !== undefined) checkFriendlyName(command.friendlyName, 'FriendlyName');
      if (command.friendlyName !== undefined || command.attributes !== undefined) {
        events.push(event('WorkerUpdated', { workspaceSid, workerSid, friendlyName: command.friendlyName, attributes: command.attributes, at }));
      }
      if (command.activitySid !== undefined && command.activitySid !== state.activity.sid) {
        const activity = activityRef(workspace, command.activitySid, 'ActivitySid');
        events.push(event('WorkerActivityChanged', { workspaceSid, workerSid, activity, previousActivity: state.activity, cause: 'api' as const, at }));
      }
      return events;
    }
    case 'UpdateWorkerChannel': {
      const channel = ownEntry(state.channels, command.channel) ?? Object.values(state.channels).find((c) => c.workerChannelSid === command.channel);
      if (!channel) throw new DomainError('not-found', 'The requested WorkerChannel was not found');
      if (command.capacity !== undefined && (!Number.isInteger(command.capacity) || command.capacity < 0 || command.capacity > MAX_CHANNEL_CAPACITY)) {
        throw new DomainError('invalid', `Capacity must be an integer from 0 to ${MAX_CHANNEL_CAPACITY}`, 'Capacity');
      }
      if (command.capacity === undefined && command.available === undefined) return [];
      return [event('WorkerChannelUpdated', { workspaceSid, workerSid, uniqueName: channel.uniqueName, capacity: command.capacity, available: command.available, at })];
    }
    case 'AddWorkerChannel': {
      if (ownEntry(state.channels, command.uniqueName)) return [];
      const channel = ownEntry(workspace.channels, command.uniqueName);
      if (!channel) throw new DomainError('invalid', `TaskChannel '${command.uniqueName}' is not a TaskChannel of this Workspace`);
      return [event('WorkerChannelAdded', {
        workspaceSid, workerSid, at,
        channel: { workerChannelSid: command.workerChannelSid, taskChannelSid: channel.taskChannelSid, uniqueName: channel.uniqueName, capacity: DEFAULT_CHANNEL_CAPACITY, available: true },
      })];
    }
    case 'DeleteWorker':
      if (Object.keys(state.reservations).length > 0) {
        throw new DomainError('conflict', 'The Worker holds reservations or assigned tasks; complete or cancel them first');
      }
      return [event('WorkerDeleted', { workspaceSid, workerSid, at })];
  }
}

export function activityRef(workspace: WorkspaceState, activitySid: string, parameter: string): ActivityRef {
  const activity = ownEntry(workspace.activities, activitySid);
  if (!activity) throw new DomainError('invalid', `${parameter} ${activitySid} is not an Activity of this Workspace`, parameter);
  return { sid: activity.activitySid, name: activity.friendlyName, available: activity.available };
}
