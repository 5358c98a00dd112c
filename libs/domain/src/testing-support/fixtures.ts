// Fixed SIDs, a fixed clock and event builders shared by the domain specs. Test-only code.
import { event } from '../shared/domain-event';
import type { SidSource } from '../shared/sid-source';
import type { RoutingStepData, TaskEvent } from '../task/task-events';
import { evolveTask, initialTaskState, type TaskState } from '../task/task-state';
import { evolveWorkflow, initialWorkflowState, type WorkflowState } from '../workflow/decide-workflow';
import type { ActivityRef, WorkerChannelData, WorkerEvent } from '../worker/worker-events';
import { evolveWorker, initialWorkerState, type WorkerState } from '../worker/worker-state';
import { decideWorkspace } from '../workspace/decide-workspace';
import type { CreateWorkspace } from '../workspace/workspace-commands';
import type { WorkspaceEvent } from '../workspace/workspace-events';
import { evolveWorkspace, initialWorkspaceState, type WorkspaceState } from '../workspace/workspace-state';
import { fold } from './given-when-then';

// ---- clock ----------------------------------------------------------------------------------

/** The instant every scenario starts at; decisions get `later(n)`, never the real clock. */
export const T0 = new Date('2024-03-01T09:00:00.000Z');
export const later = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
export const isoLater = (seconds: number): string => later(seconds).toISOString();

// ---- SIDs -----------------------------------------------------------------------------------

export const sidOf = (prefix: string, n: number): string => prefix + n.toString(16).padStart(32, '0');

/** Deterministic SIDs, numbered per prefix from 1 (WA…1, WA…2, TC…1, …). */
export function sequentialSids(): SidSource {
  const counters = new Map<string, number>();
  return (prefix) => {
    const next = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, next);
    return sidOf(prefix, next);
  };
}

export const ACCOUNT = sidOf('AC', 1);
export const WORKSPACE = sidOf('WS', 1);
/** The default activities, in the order the workspace creates them. */
export const OFFLINE = sidOf('WA', 1);
export const AVAILABLE = sidOf('WA', 2);
export const UNAVAILABLE = sidOf('WA', 3);
/** The default task channels, in the order the workspace creates them. */
export const DEFAULT_CHANNEL_SID = sidOf('TC', 1);
export const CHAT_CHANNEL_SID = sidOf('TC', 3);
export const QUEUE = sidOf('WQ', 1);
export const OTHER_QUEUE = sidOf('WQ', 2);
export const WORKFLOW = sidOf('WW', 1);
export const TASK = sidOf('WT', 1);
export const WORKER = sidOf('WK', 1);
export const RESERVATION = sidOf('WR', 1);
export const SECOND_RESERVATION = sidOf('WR', 2);

// ---- workspace ------------------------------------------------------------------------------

export function workspaceCreation(options: Partial<Omit<CreateWorkspace, 'type'>> = {}): WorkspaceEvent[] {
  return decideWorkspace(
    { type: 'CreateWorkspace', workspaceSid: WORKSPACE, accountSid: ACCOUNT, friendlyName: 'Support', newSid: sequentialSids(), ...options },
    initialWorkspaceState,
    T0,
  );
}

/** A workspace with the default activities and channels (multitasking unless told otherwise). */
export function aWorkspace(options: Partial<Omit<CreateWorkspace, 'type'>> = {}, more: readonly WorkspaceEvent[] = []): WorkspaceState {
  return fold(evolveWorkspace, initialWorkspaceState, [...workspaceCreation(options), ...more]);
}

export function activityCreated(activitySid: string, friendlyName: string, available: boolean): WorkspaceEvent {
  return event('ActivityCreated', { workspaceSid: WORKSPACE, activitySid, friendlyName, available, at: T0.toISOString() });
}

export const activity = {
  offline: { sid: OFFLINE, name: 'Offline', available: false },
  available: { sid: AVAILABLE, name: 'Available', available: true },
  unavailable: { sid: UNAVAILABLE, name: 'Unavailable', available: false },
} satisfies Record<string, ActivityRef>;

// ---- workflow -------------------------------------------------------------------------------

export const simpleConfiguration = (queueSid = QUEUE): string => JSON.stringify({ task_routing: { default_filter: { queue: queueSid } } });

export function aWorkflow(overrides: Partial<WorkflowState> = {}): WorkflowState {
  return evolveWorkflow(initialWorkflowState, event('WorkflowCreated', {
    workspaceSid: WORKSPACE, workflowSid: WORKFLOW, friendlyName: 'Sales', configuration: simpleConfiguration(), taskReservationTimeout: 120,
    assignmentCallbackUrl: null, fallbackAssignmentCallbackUrl: null, at: T0.toISOString(), ...overrides,
  }));
}

// ---- task events ----------------------------------------------------------------------------

const taskIds = (taskSid: string) => ({ workspaceSid: WORKSPACE, taskSid });

export function taskCreated(options: { taskSid?: string; priority?: number | null; channel?: 'default' | 'chat'; timeout?: number; attributes?: Record<string, unknown> } = {}): TaskEvent {
  const channel = options.channel ?? 'default';
  return event('TaskCreated', {
    ...taskIds(options.taskSid ?? TASK), workflowSid: WORKFLOW, attributes: options.attributes ?? { type: 'support' },
    priority: options.priority === undefined ? null : options.priority,
    taskChannelSid: channel === 'chat' ? CHAT_CHANNEL_SID : DEFAULT_CHANNEL_SID, taskChannelUniqueName: channel,
    timeout: options.timeout ?? 86_400, at: T0.toISOString(),
  });
}

export function taskRouted(options: {
  taskSid?: string; queueSid?: string; step?: RoutingStepData; priority?: number; targetTimeout?: number | null;
  triggerVersion?: number; previousQueueSid?: string | null; at?: string;
} = {}): TaskEvent {
  return event('TaskRouted', {
    ...taskIds(options.taskSid ?? TASK), workflowSid: WORKFLOW, step: options.step ?? { filterIndex: 0, targetIndex: 0 }, filterName: 'support',
    queueSid: options.queueSid ?? QUEUE, previousQueueSid: options.previousQueueSid ?? null, priority: options.priority ?? 0,
    targetTimeout: options.targetTimeout ?? null, explanation: [], triggerVersion: options.triggerVersion ?? 1, at: options.at ?? T0.toISOString(),
  });
}

export function taskReserved(options: { taskSid?: string; reservationSid?: string; workerSid?: string; queueSid?: string; at?: string } = {}): TaskEvent {
  return event('TaskReserved', {
    ...taskIds(options.taskSid ?? TASK), reservationSid: options.reservationSid ?? RESERVATION, workerSid: options.workerSid ?? WORKER,
    workerName: 'Alice', queueSid: options.queueSid ?? QUEUE, reservationTimeout: 120, at: options.at ?? isoLater(1),
  });
}

type ReservationOutcomeType = 'ReservationAccepted' | 'ReservationRejected' | 'ReservationTimedOut';
function reservationOutcome(type: ReservationOutcomeType, reservationSid: string, at: string, taskSid: string): TaskEvent {
  return event(type, { ...taskIds(taskSid), reservationSid, workerSid: WORKER, at });
}
export const reservationAccepted = (reservationSid = RESERVATION, at = isoLater(2), taskSid = TASK) => reservationOutcome('ReservationAccepted', reservationSid, at, taskSid);
export const reservationRejected = (reservationSid = RESERVATION, at = isoLater(2), taskSid = TASK) => reservationOutcome('ReservationRejected', reservationSid, at, taskSid);
export const reservationTimedOut = (reservationSid = RESERVATION, at = isoLater(121), taskSid = TASK) => reservationOutcome('ReservationTimedOut', reservationSid, at, taskSid);

export const taskTargetTimedOut = (step: RoutingStepData = { filterIndex: 0, targetIndex: 0 }, at = isoLater(30)): TaskEvent =>
  event('TaskTargetTimedOut', { ...taskIds(TASK), step, reason: 'timeout' as const, at });
export const taskWrappingUp = (reservationSid = RESERVATION, at = isoLater(3)): TaskEvent =>
  event('TaskWrappingUp', { ...taskIds(TASK), reservationSid, reason: null, at });
export const taskCompleted = (reservationSid = RESERVATION, at = isoLater(4)): TaskEvent =>
  event('TaskCompleted', { ...taskIds(TASK), reservationSid, workerSid: WORKER, reason: 'done', at });
export const taskCanceled = (at = isoLater(4)): TaskEvent =>
  event('TaskCanceled', { ...taskIds(TASK), reason: 'hung up', reservationSid: null, workerSid: null, cause: 'api' as const, at });

export const aTask = (events: readonly TaskEvent[]): TaskState => fold(evolveTask, initialTaskState, events);

/** Created and waiting in QUEUE at step 0/0. */
export const waitingTask = (options: Parameters<typeof taskCreated>[0] = {}): TaskEvent[] => [taskCreated(options), taskRouted({ taskSid: options.taskSid })];
export const reservedTask = (): TaskEvent[] => [...waitingTask(), taskReserved()];
export const assignedTask = (): TaskEvent[] => [...reservedTask(), reservationAccepted()];

// ---- worker events --------------------------------------------------------------------------

export function workerChannel(uniqueName: string, capacity = 1, available = true): WorkerChannelData {
  const n = ['default', 'voice', 'chat', 'sms', 'video'].indexOf(uniqueName) + 1;
  return { workerChannelSid: sidOf('WC', n), taskChannelSid: sidOf('TC', n), uniqueName, capacity, available };
}

export function workerCreated(options: { workerSid?: string; activity?: ActivityRef; channels?: WorkerChannelData[]; attributes?: Record<string, unknown>; at?: string } = {}): WorkerEvent {
  return event('WorkerCreated', {
    workspaceSid: WORKSPACE, workerSid: options.workerSid ?? WORKER, friendlyName: 'Alice', attributes: options.attributes ?? {},
    activity: options.activity ?? activity.available, channels: options.channels ?? [workerChannel('default'), workerChannel('chat')],
    at: options.at ?? T0.toISOString(),
  });
}

export const workerReserved = (reservationSid = RESERVATION, taskSid = TASK, channel = 'default', at = isoLater(1)): WorkerEvent =>
  event('WorkerReserved', { workspaceSid: WORKSPACE, workerSid: WORKER, reservationSid, taskSid, channel, at });
export const workerReservationAccepted = (reservationSid = RESERVATION, at = isoLater(2)): WorkerEvent =>
  event('WorkerReservationAccepted', { workspaceSid: WORKSPACE, workerSid: WORKER, reservationSid, at });
export const workerReservationEnded = (
  outcome: 'completed' | 'rejected' | 'timeout' | 'canceled' | 'rescinded', reservationSid = RESERVATION, channel = 'default', at = isoLater(4),
): WorkerEvent => event('WorkerReservationEnded', { workspaceSid: WORKSPACE, workerSid: WORKER, reservationSid, channel, outcome, at });
export const workerActivityChanged = (to: ActivityRef, from: ActivityRef, at = isoLater(1), cause: 'api' | 'reservation-timeout' | 'reservation-rejected' = 'api'): WorkerEvent =>
  event('WorkerActivityChanged', { workspaceSid: WORKSPACE, workerSid: WORKER, activity: to, previousActivity: from, cause, at });

export const aWorker = (events: readonly WorkerEvent[]): WorkerState => fold(evolveWorker, initialWorkerState, events);
