import { event } from '../shared/domain-event';
import { DomainError } from '../shared/domain-error';
import type { TaskChannelData } from '../workspace/workspace-events';
import type { WorkspaceState } from '../workspace/workspace-state';
import type { WorkflowState } from '../workflow/decide-workflow';
import type { RoutedTarget, RoutingStepData, TaskEvent } from './task-events';
import { isFinished, type TaskState } from './task-state';

export const DEFAULT_TASK_TIMEOUT = 86_400;
export const MAX_TASK_TIMEOUT = 1_209_600;
export const MAX_PRIORITY = 2_147_483_647;

export interface CreateTask {
  readonly type: 'CreateTask';
  readonly taskSid: string;
  readonly workflow: WorkflowState;
  readonly channel: TaskChannelData;
  readonly attributes: Record<string, unknown>;
  readonly priority?: number;
  readonly timeout?: number;
}
/** The evaluator's decision, already computed by the pure routing library. */
export interface RouteTask {
  readonly type: 'RouteTask';
  readonly outcome:
    | { kind: 'routed'; step: RoutingStepData; filterName: string; queueSid: string; priority?: number; timeout?: number; explanation: readonly string[]; target?: RoutedTarget; workflowVersion?: number }
    | { kind: 'fell-out'; explanation: readonly string[] };
  /** The task stream version of the event being answered (see TaskRouted.triggerVersion). */
  readonly triggerVersion: number;
}
export interface TimeOutTarget { readonly type: 'TimeOutTarget'; readonly step: RoutingStepData; readonly enteredAt: string; readonly reason?: 'timeout' | 'skip_if' }
export interface UpdateTaskAttributes { readonly type: 'UpdateTaskAttributes'; readonly attributes?: Record<string, unknown>; readonly priority?: number }
export interface WrapUpTask { readonly type: 'WrapUpTask'; readonly reason: string | null }
export type TaskCommand = CreateTask | RouteTask | TimeOutTarget | UpdateTaskAttributes | WrapUpTask;

export function decideTask(command: TaskCommand, state: TaskState, workspace: WorkspaceState, now: Date): TaskEvent[] {
  const at = now.toISOString();
  if (!workspace.exists) throw new DomainError('not-found', 'The requested Workspace was not found');
  const workspaceSid = workspace.workspaceSid;
  if (command.type === 'CreateTask') {
    if (state.exists) throw new DomainError('conflict', `Task ${command.taskSid} already exists`);
    if (!command.workflow.exists) throw new DomainError('invalid', 'WorkflowSid does not name a Workflow of this Workspace', 'WorkflowSid');
    const timeout = command.timeout ?? DEFAULT_TASK_TIMEOUT;
    if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TASK_TIMEOUT) {
      throw new DomainError('invalid', `Timeout must be an integer from 1 to ${MAX_TASK_TIMEOUT}`, 'Timeout');
    }
    if (command.priority !== undefined && (!Number.isInteger(command.priority) || command.priority < 0 || command.priority > MAX_PRIORITY)) {
      throw new DomainError('invalid', `Priority must be an integer from 0 to ${MAX_PRIORITY}`, 'Priority');
    }
    return [event('TaskCreated', {
      workspaceSid, taskSid: command.taskSid, workflowSid: command.workflow.workflowSid, attributes: command.attributes,
      priority: command.priority ?? null, taskChannelSid: command.channel.taskChannelSid, taskChannelUniqueName: command.channel.uniqueName,
      timeout, at,
    })];
  }
  if (!state.exists) throw new DomainError('not-found', 'The requested Task was not found');
  const taskSid = state.taskSid;
  switch (command.type) {
    case 'RouteTask': {
      // Routing decisions are replies to events; one that no longer fits the task is dropped, not an error.
      if (isFinished(state) || state.status !== 'pending') return [];
      if (command.triggerVersion <= state.routedForVersion) return [];
      const outcome = command.outcome;
      if (outcome.kind === 'fell-out') {
        return [event('TaskCanceled', { workspaceSid, taskSid, reason: 'Task fell out of the workflow', reservationSid: null, workerSid: null, cause: 'workflow-timeout' as const, at })];
      }
      return [event('TaskRouted', {
        workspaceSid, taskSid, workflowSid: state.workflowSid, step: outcome.step, filterName: outcome.filterName, queueSid: outcome.queueSid,
        previousQueueSid: state.routing?.queueSid ?? null,
        // "If no priority is defined, the Task's existing priority will be used."
        priority: outcome.priority ?? state.priority, targetTimeout: outcome.timeout ?? null, explanation: [...outcome.explanation],
        triggerVersion: command.triggerVersion,
        ...(outcome.target ? { target: outcome.target } : {}),
        ...(outcome.workflowVersion !== undefined ? { workflowVersion: outcome.workflowVersion } : {}),
        at,
      })];
    }
    case 'TimeOutTarget': {
      const routing = state.routing;
      const stale = !routing || !sameStep(routing.step, command.step) || routing.enteredAt !== command.enteredAt || routing.stepExpired;
      if (stale || (state.status !== 'pending' && state.status !== 'reserved')) return [];
      if (command.reason === 'skip_if' && state.status !== 'pending') return [];
      return [event('TaskTargetTimedOut', { workspaceSid, taskSid, step: command.step, reason: command.reason ?? ('timeout' as const), at })];
    }
    case 'UpdateTaskAttributes': {
      if (isFinished(state)) throw new DomainError('conflict', `The Task is ${state.status} and can no longer be updated`);
      if (command.priority !== undefined && (!Number.isInteger(command.priority) || command.priority < 0 || command.priority > MAX_PRIORITY)) {
        throw new DomainError('invalid', `Priority must be an integer from 0 to ${MAX_PRIORITY}`, 'Priority');
      }
      if (command.attributes === undefined && command.priority === undefined) return [];
      return [event('TaskUpdated', { workspaceSid, taskSid, attributes: command.attributes, priority: command.priority, at })];
    }
    case 'WrapUpTask': {
      if (state.status !== 'assigned') throw new DomainError('conflict', `Only an assigned Task can move to wrapping; this one is ${state.status}`, 'AssignmentStatus');
      const reservation = Object.values(state.reservations).find((r) => r.status === 'accepted');
      return [event('TaskWrappingUp', { workspaceSid, taskSid, reservationSid: reservation?.reservationSid ?? '', reason: command.reason, at })];
    }
  }
}

function sameStep(a: RoutingStepData | null, b: RoutingStepData | null): boolean {
  if (a === null || b === null) return a === b;
  return a.filterIndex === b.filterIndex && a.targetIndex === b.targetIndex;
}
