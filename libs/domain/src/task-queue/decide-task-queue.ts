import { compileOrRefuse } from '../shared/compile-or-refuse';
import { event } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { checkFriendlyName } from '../shared/friendly-name';
import type { WorkspaceState } from '../workspace/workspace-state';
import type { TaskQueueEvent, TaskQueueSettings } from './task-queue-events';
import type { TaskQueueState } from './task-queue-state';
import { ownEntry } from '../shared/own-entry';

export const MAX_RESERVED_WORKERS = 50;

export interface CreateTaskQueue {
  readonly type: 'CreateTaskQueue';
  readonly taskQueueSid: string;
  readonly friendlyName: string;
  readonly targetWorkers?: string;
  readonly maxReservedWorkers?: number;
  readonly taskOrder?: 'FIFO' | 'LIFO';
  readonly reservationActivitySid?: string;
  readonly assignmentActivitySid?: string;
}
export interface UpdateTaskQueue { readonly type: 'UpdateTaskQueue'; readonly changes: Partial<TaskQueueSettings> }
export interface DeleteTaskQueue { readonly type: 'DeleteTaskQueue' }
export type TaskQueueCommand = CreateTaskQueue | UpdateTaskQueue | DeleteTaskQueue;

export function decideTaskQueue(command: TaskQueueCommand, state: TaskQueueState, workspace: WorkspaceState, now: Date): TaskQueueEvent[] {
  const at = now.toISOString();
  if (!workspace.exists) throw new DomainError('not-found', 'The requested Workspace was not found');
  if (command.type === 'CreateTaskQueue') {
    if (state.exists) throw new DomainError('conflict', `TaskQueue ${command.taskQueueSid} already exists`);
    const settings: TaskQueueSettings = {
      friendlyName: command.friendlyName,
      // "The default value is 1==1."
      targetWorkers: command.targetWorkers ?? '1==1',
      maxReservedWorkers: command.maxReservedWorkers ?? 1,
      taskOrder: command.taskOrder ?? 'FIFO',
      reservationActivitySid: command.reservationActivitySid ?? null,
      assignmentActivitySid: command.assignmentActivitySid ?? null,
    };
    checkSettings(settings, workspace);
    return [event('TaskQueueCreated', { workspaceSid: workspace.workspaceSid, taskQueueSid: command.taskQueueSid, ...settings, at })];
  }
  if (!state.exists) throw new DomainError('not-found', 'The requested TaskQueue was not found');
  switch (command.type) {
    case 'UpdateTaskQueue': {
      const changes = Object.fromEntries(Object.entries(command.changes).filter(([, value]) => value !== undefined)) as Partial<TaskQueueSettings>;
      checkSettings({ ...state, ...changes }, workspace);
      return Object.keys(changes).length === 0 ? [] : [event('TaskQueueUpdated', { workspaceSid: state.workspaceSid, taskQueueSid: state.taskQueueSid, changes, at })];
    }
    case 'DeleteTaskQueue':
      return [event('TaskQueueDeleted', { workspaceSid: state.workspaceSid, taskQueueSid: state.taskQueueSid, at })];
  }
}

function checkSettings(settings: TaskQueueSettings, workspace: WorkspaceState): void {
  checkFriendlyName(settings.friendlyName, 'FriendlyName');
  if (settings.targetWorkers !== null && settings.targetWorkers.trim() !== '') compileOrRefuse(settings.targetWorkers, 'TargetWorkers', 'worker');
  if (!Number.isInteger(settings.maxReservedWorkers) || settings.maxReservedWorkers < 1 || settings.maxReservedWorkers > MAX_RESERVED_WORKERS) {
    throw new DomainError('invalid', `MaxReservedWorkers must be an integer from 1 to ${MAX_RESERVED_WORKERS}`, 'MaxReservedWorkers');
  }
  for (const [parameter, sid] of [['ReservationActivitySid', settings.reservationActivitySid], ['AssignmentActivitySid', settings.assignmentActivitySid]] as const) {
    if (sid !== null && !ownEntry(workspace.activities, sid)) throw new DomainError('invalid', `${parameter} ${sid} is not an Activity of this Workspace`, parameter);
  }
}
