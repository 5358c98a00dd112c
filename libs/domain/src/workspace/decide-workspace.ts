import { event } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { checkFriendlyName } from '../shared/friendly-name';
import type { WorkspaceCommand } from './workspace-commands';
import type { WorkspaceEvent } from './workspace-events';
import type { WorkspaceState } from './workspace-state';
import { ownEntry } from '../shared/own-entry';

/**
 * TaskRouter's default Activities (Template NONE): Offline, Available, Unavailable; new workers
 * start Offline and a timed-out reservation sends its worker to Offline (docs/taskrouter-choices.md).
 */
export const DEFAULT_ACTIVITIES = [
  { friendlyName: 'Offline', available: false },
  { friendlyName: 'Available', available: true },
  { friendlyName: 'Unavailable', available: false },
] as const;

/** The TaskChannels a multitasking workspace starts with; `default` is used when a task names none. */
export const DEFAULT_TASK_CHANNELS = [
  { uniqueName: 'default', friendlyName: 'Default' },
  { uniqueName: 'voice', friendlyName: 'Voice' },
  { uniqueName: 'chat', friendlyName: 'Chat' },
  { uniqueName: 'sms', friendlyName: 'SMS' },
  { uniqueName: 'video', friendlyName: 'Video' },
] as const;

export const MAX_ACTIVITIES = 100;
export const MAX_TASK_CHANNELS = 15;
const CHANNEL_UNIQUE_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function decideWorkspace(command: WorkspaceCommand, state: WorkspaceState, now: Date): WorkspaceEvent[] {
  const at = now.toISOString();
  if (command.type === 'CreateWorkspace') {
    if (state.exists) throw new DomainError('conflict', `Workspace ${command.workspaceSid} already exists`);
    checkFriendlyName(command.friendlyName, 'FriendlyName');
    const workspaceSid = command.workspaceSid;
    const activities = DEFAULT_ACTIVITIES.map((activity) => ({ ...activity, activitySid: command.newSid('WA') }));
    const offline = activities[0].activitySid;
    return [
      event('WorkspaceCreated', {
        workspaceSid, accountSid: command.accountSid, friendlyName: command.friendlyName,
        eventCallbackUrl: command.eventCallbackUrl ?? null, eventsFilter: command.eventsFilter ?? null,
        multiTaskEnabled: command.multiTaskEnabled ?? true, prioritizeQueueOrder: command.prioritizeQueueOrder ?? 'FIFO',
        defaultActivitySid: offline, timeoutActivitySid: offline, at,
      }),
      ...activities.map((activity) => event('ActivityCreated', { workspaceSid, ...activity, at })),
      ...DEFAULT_TASK_CHANNELS.map((channel) =>
        event('TaskChannelCreated', { workspaceSid, taskChannelSid: command.newSid('TC'), ...channel, channelOptimizedRouting: false, at }),
      ),
    ];
  }
  if (!state.exists) throw new DomainError('not-found', 'The requested Workspace was not found');
  switch (command.type) {
    case 'UpdateWorkspace': {
      const { type: _type, ...changes } = command;
      if (changes.friendlyName !== undefined) checkFriendlyName(changes.friendlyName, 'FriendlyName');
      for (const [parameter, sid] of [['DefaultActivitySid', changes.defaultActivitySid], ['TimeoutActivitySid', changes.timeoutActivitySid]] as const) {
        if (sid !== undefined && !ownEntry(state.activities, sid)) throw new DomainError('invalid', `${parameter} ${sid} is not an Activity of this Workspace`, parameter);
      }
      const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
      return Object.keys(defined).length === 0 ? [] : [event('WorkspaceUpdated', { workspaceSid: state.workspaceSid, changes: defined, at })];
    }
    case 'CreateActivity': {
      checkFriendlyName(command.friendlyName, 'FriendlyName');
      if (Object.keys(state.activities).length >= MAX_ACTIVITIES) throw new DomainError('conflict', `A Workspace has at most ${MAX_ACTIVITIES} Activities`);
      if (Object.values(state.activities).some((a) => a.friendlyName.toLowerCase() === command.friendlyName.toLowerCase())) {
        throw new DomainError('conflict', `An Activity named '${command.friendlyName}' already exists`, 'FriendlyName');
      }
      return [event('ActivityCreated', { workspaceSid: state.workspaceSid, activitySid: command.activitySid, friendlyName: command.friendlyName, available: command.available, at })];
    }
    case 'CreateTaskChannel': {
      checkFriendlyName(command.friendlyName, 'FriendlyName');
      // "Task Channel friendlyName and uniqueName values do not support hyphens."
      if (command.friendlyName.includes('-')) throw new DomainError('invalid', 'FriendlyName of a TaskChannel may not contain hyphens', 'FriendlyName');
      if (!CHANNEL_UNIQUE_NAME.test(command.uniqueName)) {
        throw new DomainError('invalid', 'UniqueName may hold only letters, digits, _ and $, and may not start with a digit', 'UniqueName');
      }
      // Unique names key records in every service; one that Object.prototype also has (`__proto__`
      // above all, which an assignment would take as the prototype) could never be looked up safely.
      if (command.uniqueName in Object.prototype) {
        throw new DomainError('invalid', `UniqueName '${command.uniqueName}' is reserved (it names a property every JavaScript object has)`, 'UniqueName');
      }
      if (ownEntry(state.channels, command.uniqueName)) throw new DomainError('conflict', `A TaskChannel named '${command.uniqueName}' already exists`, 'UniqueName');
      if (Object.keys(state.channels).length >= MAX_TASK_CHANNELS) throw new DomainError('conflict', `A Workspace has at most ${MAX_TASK_CHANNELS} TaskChannels`);
      const { type: _type, ...channel } = command;
      return [event('TaskChannelCreated', { workspaceSid: state.workspaceSid, ...channel, at })];
    }
  }
}
