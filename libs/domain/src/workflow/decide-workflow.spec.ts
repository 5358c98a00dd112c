import { event } from '../shared/domain-event';
import { aWorkspace, OTHER_QUEUE, QUEUE, simpleConfiguration, WORKFLOW, WORKSPACE } from '../testing-support/fixtures';
import { givenWhenThen, refused } from '../testing-support/given-when-then';
import { initialWorkspaceState } from '../workspace/workspace-state';
import {
  decideWorkflow, DEFAULT_TASK_RESERVATION_TIMEOUT, evolveWorkflow, initialWorkflowState, MAX_TASK_RESERVATION_TIMEOUT,
  type CreateWorkflow, type WorkflowCommand, type WorkflowEvent, type WorkflowState,
} from './decide-workflow';

const NOW = new Date('2024-03-01T10:00:00.000Z');
const at = NOW.toISOString();
const workspace = aWorkspace();
const existingQueues = new Set([QUEUE, OTHER_QUEUE]);
const given = givenWhenThen<WorkflowCommand, WorkflowState, WorkflowEvent>({
  initialState: initialWorkflowState,
  evolve: evolveWorkflow,
  decide: (command, state) => decideWorkflow(command, state, workspace, existingQueues, NOW),
});

const create = (overrides: Partial<CreateWorkflow> = {}): CreateWorkflow => ({
  type: 'CreateWorkflow', workflowSid: WORKFLOW, friendlyName: 'Sales', configuration: simpleConfiguration(), ...overrides,
});
const workflowCreated = (): WorkflowEvent => event('WorkflowCreated', {
  workspaceSid: WORKSPACE, workflowSid: WORKFLOW, friendlyName: 'Sales', configuration: simpleConfiguration(), taskReservationTimeout: 120,
  assignmentCallbackUrl: null, fallbackAssignmentCallbackUrl: null, at,
});

describe('creating a workflow', () => {
  it('defaults TaskReservationTimeout to 120 seconds and keeps the configuration as the client sent it', () => {
    expect(DEFAULT_TASK_RESERVATION_TIMEOUT).toBe(120);
    given([]).when(create()).then([workflowCreated()]);
  });

  it('records the callback URLs it was given', () => {
    const state = given([]).when(create({ assignmentCallbackUrl: 'https://example.com/assign', fallbackAssignmentCallbackUrl: 'https://example.com/fallback' })).thenState();
    expect(state).toMatchObject({ exists: true, assignmentCallbackUrl: 'https://example.com/assign', fallbackAssignmentCallbackUrl: 'https://example.com/fallback' });
  });

  it.each([0, MAX_TASK_RESERVATION_TIMEOUT + 1, 2.5])('refuses TaskReservationTimeout %p (an integer from 1 to 86,400)', (taskReservationTimeout) => {
    given([]).when(create({ taskReservationTimeout })).then(refused('invalid', { parameter: 'TaskReservationTimeout' }));
  });

  it.each([1, 86_400])('accepts TaskReservationTimeout %p', (taskReservationTimeout) => {
    expect(given([]).when(create({ taskReservationTimeout })).thenState().taskReservationTimeout).toBe(taskReservationTimeout);
  });

  it('refuses a configuration naming a queue that is not in the workspace, naming that queue', () => {
    const unknownQueue = 'WQ' + 'f'.repeat(32);
    given([]).when(create({ configuration: simpleConfiguration(unknownQueue) })).then(refused('invalid', { parameter: 'Configuration', message: new RegExp(unknownQueue) }));
  });

  it('refuses an invalid configuration with the JSON path at fault', () => {
    const configuration = JSON.stringify({ task_routing: { filters: [{ expression: 'type ==', targets: [{ queue: QUEUE }] }] } });
    given([]).when(create({ configuration })).then(refused('invalid', { parameter: 'Configuration', message: /task_routing\.filters\[0\]\.expression/ }));
  });

  it('refuses a configuration that is not JSON', () => {
    given([]).when(create({ configuration: '{ task_routing' })).then(refused('invalid', { parameter: 'Configuration', message: /JSON/ }));
  });

  it('refuses a workflow that already exists', () => {
    given([workflowCreated()]).when(create()).then(refused('conflict'));
  });

  it('refuses a workflow in a workspace that does not exist', () => {
    expect(() => decideWorkflow(create(), initialWorkflowState, initialWorkspaceState, existingQueues, NOW)).toThrow(expect.objectContaining({ kind: 'not-found' }));
  });
});

describe('updating a workflow', () => {
  it('records only what changed, with the re-evaluation flag', () => {
    given([workflowCreated()]).when({ type: 'UpdateWorkflow', changes: { configuration: simpleConfiguration(OTHER_QUEUE), friendlyName: undefined }, reEvaluateTasks: true })
      .then([event('WorkflowUpdated', { workspaceSid: WORKSPACE, workflowSid: WORKFLOW, changes: { configuration: simpleConfiguration(OTHER_QUEUE) }, reEvaluateTasks: true, at })]);
  });

  it('records a bare ReEvaluateTasks request, which changes nothing but re-drives tasks', () => {
    given([workflowCreated()]).when({ type: 'UpdateWorkflow', changes: {}, reEvaluateTasks: true })
      .then([event('WorkflowUpdated', { workspaceSid: WORKSPACE, workflowSid: WORKFLOW, changes: {}, reEvaluateTasks: true, at })]);
  });

  it('decides nothing when nothing changes and nothing is re-evaluated', () => {
    given([workflowCreated()]).when({ type: 'UpdateWorkflow', changes: {}, reEvaluateTasks: false }).then([]);
  });

  it('validates the configuration it would have after the update', () => {
    given([workflowCreated()]).when({ type: 'UpdateWorkflow', changes: { configuration: '[]' }, reEvaluateTasks: false })
      .then(refused('invalid', { parameter: 'Configuration' }));
    given([workflowCreated()]).when({ type: 'UpdateWorkflow', changes: { taskReservationTimeout: 0 }, reEvaluateTasks: false })
      .then(refused('invalid', { parameter: 'TaskReservationTimeout' }));
  });

  it('refuses to update a workflow that does not exist', () => {
    given([]).when({ type: 'UpdateWorkflow', changes: { friendlyName: 'x' }, reEvaluateTasks: false }).then(refused('not-found'));
  });
});

describe('deleting a workflow', () => {
  it('records the deletion, after which the workflow no longer exists', () => {
    expect(given([workflowCreated()]).when({ type: 'DeleteWorkflow' }).thenState().exists).toBe(false);
  });
});
