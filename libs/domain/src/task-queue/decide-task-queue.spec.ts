import { event } from '../shared/domain-event';
import { aWorkspace, AVAILABLE, OFFLINE, QUEUE, sidOf, UNAVAILABLE, WORKSPACE } from '../testing-support/fixtures';
import { givenWhenThen, refused } from '../testing-support/given-when-then';
import { initialWorkspaceState } from '../workspace/workspace-state';
import { decideTaskQueue, MAX_RESERVED_WORKERS, type CreateTaskQueue, type TaskQueueCommand } from './decide-task-queue';
import type { TaskQueueEvent } from './task-queue-events';
import { evolveTaskQueue, initialTaskQueueState, type TaskQueueState } from './task-queue-state';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const workspace = aWorkspace();
const given = givenWhenThen<TaskQueueCommand, TaskQueueState, TaskQueueEvent>({
  initialState: initialTaskQueueState,
  evolve: evolveTaskQueue,
  decide: (command, state) => decideTaskQueue(command, state, workspace, NOW),
});

const create = (overrides: Partial<CreateTaskQueue> = {}): CreateTaskQueue => ({ type: 'CreateTaskQueue', taskQueueSid: QUEUE, friendlyName: 'Sales', ...overrides });
const queueCreated = (): TaskQueueEvent => event('TaskQueueCreated', {
  workspaceSid: WORKSPACE, taskQueueSid: QUEUE, friendlyName: 'Sales', targetWorkers: '1==1', maxReservedWorkers: 1, taskOrder: 'FIFO' as const,
  reservationActivitySid: null, assignmentActivitySid: null, at,
});

describe('creating a task queue', () => {
  it('defaults TargetWorkers to 1==1, MaxReservedWorkers to 1 and TaskOrder to FIFO', () => {
    given([]).when(create()).then([queueCreated()]);
  });

  it('records the settings it was given', () => {
    const state = given([]).when(create({
      targetWorkers: 'skills HAS "sales"', maxReservedWorkers: 50, taskOrder: 'LIFO', reservationActivitySid: UNAVAILABLE, assignmentActivitySid: OFFLINE,
    })).thenState();
    expect(state).toMatchObject({
      exists: true, targetWorkers: 'skills HAS "sales"', maxReservedWorkers: 50, taskOrder: 'LIFO', reservationActivitySid: UNAVAILABLE, assignmentActivitySid: OFFLINE,
    });
  });

  it('accepts an empty TargetWorkers: tasks then wait until moved or deleted', () => {
    expect(given([]).when(create({ targetWorkers: '' })).thenState().targetWorkers).toBe('');
  });

  it('refuses a TargetWorkers that is not an expression, naming the parameter and the column', () => {
    given([]).when(create({ targetWorkers: 'skills HAS' })).then(refused('invalid', { parameter: 'TargetWorkers', message: /TargetWorkers.*column 11/ }));
  });

  it.each([0, 51, 1.5, -1])('refuses MaxReservedWorkers %p (an integer from 1 to 50)', (maxReservedWorkers) => {
    given([]).when(create({ maxReservedWorkers })).then(refused('invalid', { parameter: 'MaxReservedWorkers' }));
  });

  it.each([1, MAX_RESERVED_WORKERS])('accepts MaxReservedWorkers %p', (maxReservedWorkers) => {
    expect(given([]).when(create({ maxReservedWorkers })).thenState().maxReservedWorkers).toBe(maxReservedWorkers);
  });

  it.each([['ReservationActivitySid', 'reservationActivitySid'], ['AssignmentActivitySid', 'assignmentActivitySid']] as const)(
    'refuses a %s that is not an activity of the workspace',
    (parameter, field) => {
      given([]).when(create({ [field]: sidOf('WA', 999) })).then(refused('invalid', { parameter }));
    },
  );

  it('refuses a friendly name longer than 64 characters', () => {
    given([]).when(create({ friendlyName: 'q'.repeat(65) })).then(refused('invalid', { parameter: 'FriendlyName' }));
  });

  it('refuses a queue that already exists', () => {
    given([queueCreated()]).when(create()).then(refused('conflict'));
  });

  it('refuses any command when the workspace does not exist', () => {
    expect(() => decideTaskQueue(create(), initialTaskQueueState, initialWorkspaceState, NOW)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('updating a task queue', () => {
  it('records only the settings that were given', () => {
    given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: { maxReservedWorkers: 3, taskOrder: undefined } })
      .then([event('TaskQueueUpdated', { workspaceSid: WORKSPACE, taskQueueSid: QUEUE, changes: { maxReservedWorkers: 3 }, at })]);
  });

  it('decides nothing when nothing was given', () => {
    given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: {} }).then([]);
  });

  it('validates the settings as they would be after the update', () => {
    given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: { targetWorkers: 'languages HAS' } }).then(refused('invalid', { parameter: 'TargetWorkers' }));
    given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: { maxReservedWorkers: 51 } }).then(refused('invalid', { parameter: 'MaxReservedWorkers' }));
    given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: { assignmentActivitySid: sidOf('WA', 999) } }).then(refused('invalid', { parameter: 'AssignmentActivitySid' }));
  });

  it('moves the reservation activity to another activity of the workspace', () => {
    expect(given([queueCreated()]).when({ type: 'UpdateTaskQueue', changes: { reservationActivitySid: AVAILABLE } }).thenState().reservationActivitySid).toBe(AVAILABLE);
  });

  it('refuses to update a queue that does not exist as not found', () => {
    given([]).when({ type: 'UpdateTaskQueue', changes: { maxReservedWorkers: 2 } }).then(refused('not-found'));
  });
});

describe('deleting a task queue', () => {
  it('records the deletion, after which the queue no longer exists', () => {
    given([queueCreated()]).when({ type: 'DeleteTaskQueue' }).then([event('TaskQueueDeleted', { workspaceSid: WORKSPACE, taskQueueSid: QUEUE, at })]);
    expect(given([queueCreated()]).when({ type: 'DeleteTaskQueue' }).thenState().exists).toBe(false);
  });

  it('refuses to delete a queue twice', () => {
    given([queueCreated(), event('TaskQueueDeleted', { workspaceSid: WORKSPACE, taskQueueSid: QUEUE, at })]).when({ type: 'DeleteTaskQueue' }).then(refused('not-found'));
  });
});
