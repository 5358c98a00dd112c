import { event } from '../shared/domain-event';
import {
  assignedTask, aWorkflow, aWorkspace, DEFAULT_CHANNEL_SID, isoLater, OTHER_QUEUE, QUEUE, RESERVATION, reservationAccepted, reservationRejected,
  reservedTask, TASK, taskCanceled, taskCompleted, taskCreated, taskRouted, taskTargetTimedOut, taskWrappingUp, waitingTask, WORKER, WORKFLOW, WORKSPACE,
} from '../testing-support/fixtures';
import { givenWhenThen, refused } from '../testing-support/given-when-then';
import { initialWorkflowState } from '../workflow/decide-workflow';
import { initialWorkspaceState } from '../workspace/workspace-state';
import { decideTask, MAX_PRIORITY, MAX_TASK_TIMEOUT, type CreateTask, type RouteTask, type TaskCommand } from './decide-task';
import type { TaskEvent } from './task-events';
import { evolveTask, initialTaskState, type TaskState } from './task-state';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const workspace = aWorkspace();
const given = givenWhenThen<TaskCommand, TaskState, TaskEvent>({
  initialState: initialTaskState,
  evolve: evolveTask,
  decide: (command, state) => decideTask(command, state, workspace, NOW),
});

const create = (overrides: Partial<CreateTask> = {}): CreateTask => ({
  type: 'CreateTask', taskSid: TASK, workflow: aWorkflow(), channel: workspace.channels['default'], attributes: { type: 'support' }, ...overrides,
});
const step = (filterIndex: number, targetIndex: number) => ({ filterIndex, targetIndex });
const routeTo = (queueSid: string, options: { priority?: number; timeout?: number; triggerVersion?: number; at?: { filterIndex: number; targetIndex: number } } = {}): RouteTask => ({
  type: 'RouteTask',
  outcome: { kind: 'routed', step: options.at ?? step(0, 0), filterName: 'support', queueSid, priority: options.priority, timeout: options.timeout, explanation: ['filter matched'] },
  triggerVersion: options.triggerVersion ?? 1,
});
const fellOut = (triggerVersion: number): RouteTask => ({ type: 'RouteTask', outcome: { kind: 'fell-out', explanation: ['no later filter matched'] }, triggerVersion });

describe('creating a task', () => {
  it('records the task pending, with the default TTL of 86,400 seconds and no requested priority', () => {
    given([]).when(create()).then([event('TaskCreated', {
      workspaceSid: WORKSPACE, taskSid: TASK, workflowSid: WORKFLOW, attributes: { type: 'support' }, priority: null,
      taskChannelSid: DEFAULT_CHANNEL_SID, taskChannelUniqueName: 'default', timeout: 86_400, at,
    })]);
  });

  it('starts pending with priority 0 when none was requested', () => {
    expect(given([]).when(create()).thenState()).toMatchObject({ exists: true, status: 'pending', priority: 0, requestedPriority: null, createdAt: at, routing: null });
  });

  it.each([1, MAX_TASK_TIMEOUT])('accepts Timeout %p', (timeout) => {
    expect(given([]).when(create({ timeout })).thenState().timeout).toBe(timeout);
  });

  it.each([0, MAX_TASK_TIMEOUT + 1, 10.5, -5])('refuses Timeout %p (an integer from 1 to 1,209,600)', (timeout) => {
    given([]).when(create({ timeout })).then(refused('invalid', { parameter: 'Timeout' }));
  });

  it.each([0, 2_147_483_647])('accepts Priority %p', (priority) => {
    expect(given([]).when(create({ priority })).thenState()).toMatchObject({ priority, requestedPriority: priority });
  });

  it.each([-1, MAX_PRIORITY + 1, 0.5])('refuses Priority %p (an integer from 0 to 2,147,483,647)', (priority) => {
    given([]).when(create({ priority })).then(refused('invalid', { parameter: 'Priority' }));
  });

  it('refuses a workflow that does not exist, naming WorkflowSid', () => {
    given([]).when(create({ workflow: initialWorkflowState })).then(refused('invalid', { parameter: 'WorkflowSid' }));
  });

  it('records the channel the task was created on', () => {
    expect(given([]).when(create({ channel: workspace.channels['chat'] })).thenState()).toMatchObject({ channel: 'chat', taskChannelSid: workspace.channels['chat'].taskChannelSid });
  });

  it('refuses a task that already exists', () => {
    given([taskCreated()]).when(create()).then(refused('conflict'));
  });

  it('refuses a task in a workspace that does not exist', () => {
    expect(() => decideTask(create(), initialTaskState, initialWorkspaceState, NOW)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('routing a task', () => {
  it('puts the task in the queue of the matched target, with the explanation', () => {
    given([taskCreated({ priority: 5 })]).when(routeTo(QUEUE, { timeout: 30 })).then([event('TaskRouted', {
      workspaceSid: WORKSPACE, taskSid: TASK, workflowSid: WORKFLOW, step: step(0, 0), filterName: 'support', queueSid: QUEUE, previousQueueSid: null,
      priority: 5, targetTimeout: 30, explanation: ['filter matched'], triggerVersion: 1, at,
    })]);
  });

  it("overrides the task's priority with the target's", () => {
    expect(given([taskCreated({ priority: 5 })]).when(routeTo(QUEUE, { priority: 10 })).thenState().priority).toBe(10);
  });

  it("keeps the task's existing priority when the target defines none", () => {
    expect(given([taskCreated({ priority: 5 })]).when(routeTo(QUEUE)).thenState().priority).toBe(5);
  });

  it('keeps the priority an earlier target set when the next target defines none', () => {
    const escalated = [taskCreated(), taskRouted({ priority: 1, targetTimeout: 300 }), taskTargetTimedOut()];
    expect(given(escalated).when(routeTo(QUEUE, { at: step(0, 1), triggerVersion: 3 })).thenState().priority).toBe(1);
  });

  it('names the queue the task leaves when it moves on', () => {
    const events = decideTask(routeTo(OTHER_QUEUE, { at: step(0, 1), triggerVersion: 3 }), given([...waitingTask(), taskTargetTimedOut()]).state, workspace, NOW);
    expect(events).toEqual([expect.objectContaining({ type: 'TaskRouted', data: expect.objectContaining({ queueSid: OTHER_QUEUE, previousQueueSid: QUEUE }) })]);
  });

  it('starts the step afresh: entered now, not expired', () => {
    const state = given([...waitingTask(), taskTargetTimedOut()]).when(routeTo(OTHER_QUEUE, { at: step(0, 1), timeout: 60, triggerVersion: 3 })).thenState();
    expect(state.routing).toEqual({ step: step(0, 1), queueSid: OTHER_QUEUE, enteredAt: at, targetTimeout: 60, stepExpired: false });
    expect(state.routedForVersion).toBe(3);
  });

  it('cancels the task when it fell out of the workflow, as a workflow timeout', () => {
    given([...waitingTask(), taskTargetTimedOut()]).when(fellOut(3)).then([event('TaskCanceled', {
      workspaceSid: WORKSPACE, taskSid: TASK, reason: 'Task fell out of the workflow', reservationSid: null, workerSid: null, cause: 'workflow-timeout' as const, at,
    })]);
  });

  it('decides nothing for a redelivered trigger it already answered', () => {
    given([taskCreated(), taskRouted({ triggerVersion: 1 })]).when(routeTo(OTHER_QUEUE, { triggerVersion: 1 })).then([]);
  });

  it('decides nothing for a trigger older than the one it answered', () => {
    given([taskCreated(), taskRouted({ triggerVersion: 4 })]).when(routeTo(OTHER_QUEUE, { triggerVersion: 3 })).then([]);
    given([taskCreated(), taskRouted({ triggerVersion: 4 })]).when(fellOut(2)).then([]);
  });

  it('answers a newer trigger', () => {
    expect(given([taskCreated(), taskRouted({ triggerVersion: 1 })]).when(routeTo(OTHER_QUEUE, { triggerVersion: 2 })).thenState().routing?.queueSid).toBe(OTHER_QUEUE);
  });

  it.each([
    ['reserved', reservedTask()],
    ['assigned', assignedTask()],
    ['wrapping', [...assignedTask(), taskWrappingUp()]],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('decides nothing while the task is %s', (_status, history) => {
    given(history).when(routeTo(OTHER_QUEUE, { triggerVersion: 99 })).then([]);
    given(history).when(fellOut(99)).then([]);
  });

  it('routes a task again once its reservation was rejected', () => {
    const history = [...reservedTask(), reservationRejected()];
    expect(given(history).when(routeTo(QUEUE, { triggerVersion: 4 })).thenState()).toMatchObject({ status: 'pending', routedForVersion: 4 });
  });
});

describe("timing out a task's routing step", () => {
  const timeOut = (enteredAt: string, timedOutStep = step(0, 0)): TaskCommand => ({ type: 'TimeOutTarget', step: timedOutStep, enteredAt });
  const enteredAt = isoLater(0);

  it('marks the step expired while the task waits', () => {
    given(waitingTask()).when(timeOut(enteredAt)).then([event('TaskTargetTimedOut', { workspaceSid: WORKSPACE, taskSid: TASK, step: step(0, 0), reason: 'timeout' as const, at })]);
    expect(given(waitingTask()).when(timeOut(enteredAt)).thenState().routing?.stepExpired).toBe(true);
  });

  it('marks the step expired while a reservation is pending, to move on when it ends', () => {
    expect(given(reservedTask()).when(timeOut(enteredAt)).thenState()).toMatchObject({ status: 'reserved', routing: { stepExpired: true } });
  });

  it('decides nothing for a timer of an earlier step', () => {
    const movedOn = [...waitingTask(), taskTargetTimedOut(), taskRouted({ step: step(0, 1), triggerVersion: 3, at: isoLater(30) })];
    given(movedOn).when(timeOut(enteredAt)).then([]);
  });

  it('decides nothing for a timer of an earlier entry into the same step', () => {
    const reentered = [taskCreated(), taskRouted({ at: isoLater(0) }), taskRouted({ at: isoLater(20), triggerVersion: 2 })];
    given(reentered).when(timeOut(isoLater(0))).then([]);
    given(reentered).when(timeOut(isoLater(20))).then([event('TaskTargetTimedOut', { workspaceSid: WORKSPACE, taskSid: TASK, step: step(0, 0), reason: 'timeout' as const, at })]);
  });

  it('decides nothing when the same timer fires twice', () => {
    given([...waitingTask(), taskTargetTimedOut()]).when(timeOut(enteredAt)).then([]);
  });

  it('decides nothing before the task was routed', () => {
    given([taskCreated()]).when(timeOut(enteredAt)).then([]);
  });

  it.each([
    ['assigned', assignedTask()],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('decides nothing once the task is %s', (_status, history) => {
    given(history).when(timeOut(enteredAt)).then([]);
  });
});

describe("updating a task's attributes and priority", () => {
  it('records the new attributes and priority', () => {
    given(waitingTask()).when({ type: 'UpdateTaskAttributes', attributes: { type: 'billing' }, priority: 7 })
      .then([event('TaskUpdated', { workspaceSid: WORKSPACE, taskSid: TASK, attributes: { type: 'billing' }, priority: 7, at })]);
  });

  it('keeps the attributes when only the priority changes', () => {
    expect(given(waitingTask()).when({ type: 'UpdateTaskAttributes', priority: 7 }).thenState()).toMatchObject({ attributes: { type: 'support' }, priority: 7 });
  });

  it('decides nothing when nothing was given', () => {
    given(waitingTask()).when({ type: 'UpdateTaskAttributes' }).then([]);
  });

  it('refuses a priority out of range', () => {
    given(waitingTask()).when({ type: 'UpdateTaskAttributes', priority: -1 }).then(refused('invalid', { parameter: 'Priority' }));
  });

  it('accepts updates of an assigned task', () => {
    expect(given(assignedTask()).when({ type: 'UpdateTaskAttributes', attributes: { note: 'vip' } }).thenState().attributes).toEqual({ note: 'vip' });
  });

  it.each([
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('refuses to update a %s task as a conflict', (_status, history) => {
    given(history).when({ type: 'UpdateTaskAttributes', attributes: {} }).then(refused('conflict'));
  });

  it('refuses to update a task that does not exist', () => {
    given([]).when({ type: 'UpdateTaskAttributes', attributes: {} }).then(refused('not-found'));
  });
});

describe('wrapping a task up', () => {
  it('moves an assigned task and its accepted reservation to wrapping', () => {
    given(assignedTask()).when({ type: 'WrapUpTask', reason: 'call ended' })
      .then([event('TaskWrappingUp', { workspaceSid: WORKSPACE, taskSid: TASK, reservationSid: RESERVATION, reason: 'call ended', at })]);
    const state = given(assignedTask()).when({ type: 'WrapUpTask', reason: 'call ended' }).thenState();
    expect({ status: state.status, reservation: state.reservations[RESERVATION].status, worker: state.reservations[RESERVATION].workerSid })
      .toEqual({ status: 'wrapping', reservation: 'wrapping', worker: WORKER });
  });

  it.each([
    ['pending', waitingTask()],
    ['reserved', reservedTask()],
    ['wrapping', [...assignedTask(), taskWrappingUp()]],
    ['completed', [...assignedTask(), taskCompleted()]],
    ['canceled', [...waitingTask(), taskCanceled()]],
  ])('refuses a %s task as a conflict naming AssignmentStatus', (_status, history) => {
    given(history).when({ type: 'WrapUpTask', reason: null }).then(refused('conflict', { parameter: 'AssignmentStatus' }));
  });
});

describe('the task state after an accept', () => {
  it('is assigned with the accepted reservation', () => {
    const state = given([...reservedTask(), reservationAccepted()]).state;
    expect({ status: state.status, reservation: state.reservations[RESERVATION].status }).toEqual({ status: 'assigned', reservation: 'accepted' });
  });
});

describe('skipping a routing step (skip_if)', () => {
  const skip = (enteredAt: string): TaskCommand => ({ type: 'TimeOutTarget', step: step(0, 0), enteredAt, reason: 'skip_if' });

  it('leaves the step of a pending task, saying it was skipped', () => {
    given(waitingTask()).when(skip(isoLater(0))).then([event('TaskTargetTimedOut', { workspaceSid: WORKSPACE, taskSid: TASK, step: step(0, 0), reason: 'skip_if' as const, at })]);
  });

  it('skips nothing once a worker is reserved: skip_if applies only when no reservation was made at once', () => {
    given(reservedTask()).when(skip(isoLater(0))).then([]);
  });
});

describe('a routed target recorded with the task', () => {
  it('keeps the target and workflow version the decision was made with', () => {
    const target = { queue: QUEUE, expression: 'worker.level > 2', skipIf: 'workers.available == 0' };
    const command: RouteTask = {
      type: 'RouteTask', triggerVersion: 1,
      outcome: { kind: 'routed', step: step(0, 0), filterName: 'f', queueSid: QUEUE, explanation: [], target, workflowVersion: 4 },
    };
    expect(given([taskCreated()]).when(command).thenState().routing).toMatchObject({ target, workflowVersion: 4, queueSid: QUEUE });
  });
});
