import { parseWorkflowConfiguration, WorkflowConfigurationError } from '@taskrouter/routing';
import { event, type DomainEvent } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import { checkFriendlyName } from '../shared/friendly-name';
import type { WorkspaceState } from '../workspace/workspace-state';

export const DEFAULT_TASK_RESERVATION_TIMEOUT = 120;
export const MAX_TASK_RESERVATION_TIMEOUT = 86_400;

export interface WorkflowSettings {
  readonly friendlyName: string;
  /** The document as the client sent it: TaskRouter returns `configuration` as that string. */
  readonly configuration: string;
  readonly taskReservationTimeout: number;
  readonly assignmentCallbackUrl: string | null;
  readonly fallbackAssignmentCallbackUrl: string | null;
}

export type WorkflowCreated = DomainEvent<'WorkflowCreated', WorkflowSettings & { workspaceSid: string; workflowSid: string; at: string }>;
export type WorkflowUpdated = DomainEvent<'WorkflowUpdated', { workspaceSid: string; workflowSid: string; changes: Partial<WorkflowSettings>; reEvaluateTasks: boolean; at: string }>;
export type WorkflowDeleted = DomainEvent<'WorkflowDeleted', { workspaceSid: string; workflowSid: string; at: string }>;
export type WorkflowEvent = WorkflowCreated | WorkflowUpdated | WorkflowDeleted;

export interface WorkflowState extends WorkflowSettings {
  readonly exists: boolean;
  readonly workspaceSid: string;
  readonly workflowSid: string;
}

export const initialWorkflowState: WorkflowState = {
  exists: false, workspaceSid: '', workflowSid: '', friendlyName: '', configuration: '', taskReservationTimeout: DEFAULT_TASK_RESERVATION_TIMEOUT,
  assignmentCallbackUrl: null, fallbackAssignmentCallbackUrl: null,
};

export function evolveWorkflow(state: WorkflowState, event: WorkflowEvent): WorkflowState {
  switch (event.type) {
    case 'WorkflowCreated': {
      const { at: _at, ...data } = event.data;
      return { ...state, ...data, exists: true };
    }
    case 'WorkflowUpdated':
      return { ...state, ...event.data.changes };
    case 'WorkflowDeleted':
      return { ...state, exists: false };
  }
}

export interface CreateWorkflow {
  readonly type: 'CreateWorkflow';
  readonly workflowSid: string;
  readonly friendlyName: string;
  readonly configuration: string;
  readonly taskReservationTimeout?: number;
  readonly assignmentCallbackUrl?: string;
  readonly fallbackAssignmentCallbackUrl?: string;
}
export interface UpdateWorkflow { readonly type: 'UpdateWorkflow'; readonly changes: Partial<WorkflowSettings>; readonly reEvaluateTasks: boolean }
export interface DeleteWorkflow { readonly type: 'DeleteWorkflow' }
export type WorkflowCommand = CreateWorkflow | UpdateWorkflow | DeleteWorkflow;

/**
 * `existingQueueSids` are the workspace's TaskQueues: a configuration naming any other queue
 * is refused when written rather than leaving tasks stranded later.
 */
export function decideWorkflow(command: WorkflowCommand, state: WorkflowState, workspace: WorkspaceState, existingQueueSids: ReadonlySet<string>, now: Date): WorkflowEvent[] {
  const at = now.toISOString();
  if (!workspace.exists) throw new DomainError('not-found', 'The requested Workspace was not found');
  if (command.type === 'CreateWorkflow') {
    if (state.exists) throw new DomainError('conflict', `Workflow ${command.workflowSid} already exists`);
    const settings: WorkflowSettings = {
      friendlyName: command.friendlyName,
      configuration: command.configuration,
      taskReservationTimeout: command.taskReservationTimeout ?? DEFAULT_TASK_RESERVATION_TIMEOUT,
      assignmentCallbackUrl: command.assignmentCallbackUrl ?? null,
      fallbackAssignmentCallbackUrl: command.fallbackAssignmentCallbackUrl ?? null,
    };
    checkSettings(settings, existingQueueSids);
    return [event('WorkflowCreated', { workspaceSid: workspace.workspaceSid, workflowSid: command.workflowSid, ...settings, at })];
  }
  if (!state.exists) throw new DomainError('not-found', 'The requested Workflow was not found');
  switch (command.type) {
    case 'UpdateWorkflow': {
      const changes = Object.fromEntries(Object.entries(command.changes).filter(([, value]) => value !== undefined)) as Partial<WorkflowSettings>;
      checkSettings({ ...state, ...changes }, existingQueueSids);
      return Object.keys(changes).length === 0 && !command.reEvaluateTasks
        ? []
        : [event('WorkflowUpdated', { workspaceSid: state.workspaceSid, workflowSid: state.workflowSid, changes, reEvaluateTasks: command.reEvaluateTasks, at })];
    }
    case 'DeleteWorkflow':
      return [event('WorkflowDeleted', { workspaceSid: state.workspaceSid, workflowSid: state.workflowSid, at })];
  }
}

function checkSettings(settings: WorkflowSettings, existingQueueSids: ReadonlySet<string>): void {
  checkFriendlyName(settings.friendlyName, 'FriendlyName');
  for (const [parameter, url] of [['AssignmentCallbackUrl', settings.assignmentCallbackUrl], ['FallbackAssignmentCallbackUrl', settings.fallbackAssignmentCallbackUrl]] as const) {
    if (url !== null && url !== '' && !isHttpUrl(url)) throw new DomainError('invalid', `${parameter} must be an absolute http or https URL`, parameter);
  }
  const timeout = settings.taskReservationTimeout;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TASK_RESERVATION_TIMEOUT) {
    throw new DomainError('invalid', `TaskReservationTimeout must be an integer from 1 to ${MAX_TASK_RESERVATION_TIMEOUT}`, 'TaskReservationTimeout');
  }
  try {
    const definition = parseWorkflowConfiguration(settings.configuration);
    const unknown = definition.queueSids.filter((sid) => !existingQueueSids.has(sid));
    if (unknown.length > 0) throw new DomainError('invalid', `Configuration names TaskQueues that do not exist in this Workspace: ${unknown.join(', ')}`, 'Configuration');
  } catch (error) {
    if (error instanceof WorkflowConfigurationError) throw new DomainError('invalid', `Configuration is invalid: ${error.message}`, 'Configuration');
    throw error;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
