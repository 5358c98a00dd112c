import { AvailabilityIndex } from '@taskrouter/availability';
import {
  decideTask, decideTaskQueue, decideWorker, decideWorkflow, decideWorkspace, evolveWorkspace, initialTaskQueueState, initialTaskState,
  initialWorkerState, initialWorkflowState, initialWorkspaceState, type WorkspaceState,
} from '@taskrouter/domain';
import { PostgresEventStore, migrateSchema, type StreamAppend } from '@taskrouter/event-store';
import { ReadModelProjector, ReadModelQueries, readModelMigrations } from '@taskrouter/read-model';
import { AggregateStore, QueueMembership, WorkflowDefinitions, appendTo } from '@taskrouter/runtime';
import { testDatabaseUrl, testRedisUrl, uniqueName } from '@taskrouter/testing';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { AssignmentService } from './assignment.service';
import { QueueWorkerCounts } from './queue-worker-counts';
import { WorkerAvailabilityRefresher } from './worker-availability-refresher';

/** The matcher's decisions against the real Postgres and Redis; events are appended directly, no Kafka. */
describe('AssignmentService', () => {
  const schema = uniqueName('matcher');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const redis = new Redis(testRedisUrl());
  const eventStore = new PostgresEventStore(pool, { schema });
  const projector = new ReadModelProjector(schema);
  const queries = new ReadModelQueries(pool, schema);
  const availability = new AvailabilityIndex(redis, { keyPrefix: `${schema}:` });
  let sequence = 0;
  const newSid = (prefix: string) => `${prefix}${(++sequence).toString(16).padStart(32, '0')}`;
  const clock = new Date('2026-05-01T09:00:00.000Z');
  const now = () => clock;
  const append = (appends: StreamAppend[]) => eventStore.append(appends, projector.project);
  const aggregates = new AggregateStore(eventStore);
  const membership = new QueueMembership(queries);
  const refresher = new WorkerAvailabilityRefresher(aggregates, availability, membership);
  const matcher = new AssignmentService(aggregates, availability, new WorkflowDefinitions(), append, now, newSid, new QueueWorkerCounts(queries));

  let workspace: WorkspaceState;
  let available: string;

  beforeAll(async () => {
    await eventStore.migrate();
    await migrateSchema(pool, schema, readModelMigrations);
    const workspaceSid = newSid('WS');
    const events = decideWorkspace({ type: 'CreateWorkspace', workspaceSid, accountSid: newSid('AC'), friendlyName: 'matcher', newSid }, initialWorkspaceState, now());
    await append([{ streamId: `workspace:${workspaceSid}`, expectedVersion: 0, events: events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })) }]);
    workspace = events.reduce(evolveWorkspace, initialWorkspaceState);
    available = Object.values(workspace.activities).find((a) => a.available)!.activitySid;
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
    await availability.flushWorkspace(workspace.workspaceSid);
    redis.disconnect();
  });

  const ws = () => workspace.workspaceSid;
  async function queue(targetWorkers: string): Promise<string> {
    const sid = newSid('WQ');
    const loaded = await aggregates.load('taskQueue', sid);
    await append([appendTo(loaded, decideTaskQueue({ type: 'CreateTaskQueue', taskQueueSid: sid, friendlyName: sid, targetWorkers }, initialTaskQueueState, workspace, now()), {})]);
    membership.forget(ws());
    return sid;
  }
  async function workflow(taskRouting: object): Promise<string> {
    const sid = newSid('WW');
    const loaded = await aggregates.load('workflow', sid);
    const events = decideWorkflow({ type: 'CreateWorkflow', workflowSid: sid, friendlyName: sid, configuration: JSON.stringify({ task_routing: taskRouting }) }, initialWorkflowState, workspace, await queries.taskQueueSids(ws()), now());
    await append([appendTo(loaded, events, {})]);
    return sid;
  }
  async function worker(attributes: Record<string, unknown>): Promise<string> {
    const sid = newSid('WK');
    const loaded = await aggregates.load('worker', sid);
    await append([appendTo(loaded, decideWorker({ type: 'CreateWorker', workerSid: sid, friendlyName: sid, attributes, activitySid: available, newSid }, initialWorkerState, workspace, now()), {})]);
    await refresher.refresh(ws(), sid);
    return sid;
  }
  /** Creates a task and routes it into the workflow's first step; answers the TaskRouted version. */
  async function routedTask(workflowSid: string, queueSid: string): Promise<{ taskSid: string; routedVersion: number }> {
    const taskSid = newSid('WT');
    const created = await aggregates.load('task', taskSid);
    const flow = (await aggregates.load('workflow', workflowSid)).state;
    await append([appendTo(created, decideTask({ type: 'CreateTask', taskSid, workflow: flow, channel: workspace.channels['default'], attributes: {} }, initialTaskState, workspace, now()), {})]);
    const task = await aggregates.load('task', taskSid);
    const routed = decideTask({ type: 'RouteTask', triggerVersion: 1, outcome: { kind: 'routed', step: { filterIndex: 0, targetIndex: 0 }, filterName: '', queueSid, explanation: [] } }, task.state, workspace, now());
    await append([appendTo(task, routed, {})]);
    return { taskSid, routedVersion: task.version + 1 };
  }
  const status = async (taskSid: string) => (await aggregates.load('task', taskSid)).state;

  it('reserves an available qualified worker, or leaves the task waiting until a worker frees up', async () => {
    const team = uniqueName('team');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] });
    const { taskSid } = await routedTask(flow, q);
    await matcher.matchTask(ws(), taskSid);
    expect((await status(taskSid)).status).toBe('pending');
    expect((await availability.waitingTasks(ws(), q, 10)).map((t) => t.taskSid)).toEqual([taskSid]);

    const agent = await worker({ team });
    await matcher.matchWorker(ws(), agent);
    const reserved = await status(taskSid);
    expect(reserved.status).toBe('reserved');
    expect(Object.values(reserved.reservations)[0].workerSid).toBe(agent);
    expect(await availability.waitingTasks(ws(), q, 10)).toEqual([]);
  });

  it('takes a task offered to a free worker off the waiting list it was still on (a redelivered TaskRouted)', async () => {
    const team = uniqueName('free');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] });
    const { taskSid } = await routedTask(flow, q);
    await matcher.matchTask(ws(), taskSid);
    expect((await availability.waitingTasks(ws(), q, 10)).map((t) => t.taskSid)).toEqual([taskSid]);
    const agent = await worker({ team });
    // The first delivery left the task waiting; it arrives again while the worker is free.
    await matcher.matchTask(ws(), taskSid);
    expect(Object.values((await status(taskSid)).reservations)[0].workerSid).toBe(agent);
    expect(await availability.waitingTasks(ws(), q, 10)).toEqual([]);
  });

  it('offers a worker the tasks its refresh found waiting, without asking the index again', async () => {
    const team = uniqueName('openings');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q }] }] });
    const { taskSid } = await routedTask(flow, q);
    await matcher.matchTask(ws(), taskSid);
    const sid = newSid('WK');
    const loaded = await aggregates.load('worker', sid);
    await append([appendTo(loaded, decideWorker({ type: 'CreateWorker', workerSid: sid, friendlyName: sid, attributes: { team }, activitySid: available, newSid }, initialWorkerState, workspace, now()), {})]);
    const openings = await refresher.refresh(ws(), sid);
    expect(openings.waiting.map((t) => [t.taskSid, t.queueSid])).toEqual([[taskSid, q]]);
    await matcher.matchWorker(ws(), sid, openings);
    expect((await status(taskSid)).status).toBe('reserved');
    expect(await availability.waitingTasks(ws(), q, 10)).toEqual([]);
  });

  it('applies skip_if when the task has just entered the step, and not for a redelivered TaskRouted', async () => {
    const nobody = await queue(`team == "${uniqueName('nobody')}"`);
    const next = await queue(`team == "${uniqueName('next')}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: nobody, skip_if: 'workers.available == 0' }, { queue: next }] }] });

    const first = await routedTask(flow, nobody);
    await matcher.matchTask(ws(), first.taskSid, { enteredAtVersion: first.routedVersion });
    expect((await status(first.taskSid)).routing).toMatchObject({ stepExpired: true });

    const second = await routedTask(flow, nobody);
    const task = await aggregates.load('task', second.taskSid);
    await append([appendTo(task, decideTask({ type: 'UpdateTaskAttributes', priority: 3 }, task.state, workspace, now()), {})]);
    // The TaskRouted arrives again after the task changed: it has not "just entered" any more.
    await matcher.matchTask(ws(), second.taskSid, { enteredAtVersion: second.routedVersion });
    expect((await status(second.taskSid)).routing).toMatchObject({ stepExpired: false });
    expect((await availability.waitingTasks(ws(), nobody, 10)).map((t) => t.taskSid)).toContain(second.taskSid);
  });

  it('does not reserve a worker whose current attributes fail the target expression', async () => {
    const team = uniqueName('expr');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q, expression: 'worker.level >= 3' }] }] });
    const agent = await worker({ team, level: 5 });
    const loaded = await aggregates.load('worker', agent);
    await append([appendTo(loaded, decideWorker({ type: 'UpdateWorker', attributes: { team, level: 1 } }, loaded.state, workspace, now()), {})]);
    await refresher.refresh(ws(), agent);
    const { taskSid } = await routedTask(flow, q);
    await matcher.matchTask(ws(), taskSid);
    expect((await status(taskSid)).status).toBe('pending');
  });

  it('records with the reservation the rule that chose and why the queue\'s other workers were passed over', async () => {
    const team = uniqueName('why');
    const q = await queue(`team == "${team}"`);
    const flow = await workflow({ filters: [{ expression: '1==1', targets: [{ queue: q, expression: 'worker.level >= 3' }] }] });
    const chosen = await worker({ team, level: 5 });
    const junior = await worker({ team, level: 1 });
    const offline = await worker({ team, level: 9 });
    const unavailable = Object.values(workspace.activities).find((a) => !a.available)!.activitySid;
    const loaded = await aggregates.load('worker', offline);
    await append([appendTo(loaded, decideWorker({ type: 'UpdateWorker', activitySid: unavailable }, loaded.state, workspace, now()), {})]);
    await refresher.refresh(ws(), offline);

    const { taskSid } = await routedTask(flow, q);
    await matcher.matchTask(ws(), taskSid);
    const { events } = await eventStore.readStream(`task:${taskSid}`);
    const reserved = events.find((e) => e.type === 'TaskReserved')!;
    expect(reserved.data).toMatchObject({ workerSid: chosen });
    expect(reserved.data.choice).toEqual({
      rule: 'longest_idle', notListed: 0,
      considered: [
        { workerSid: chosen, outcome: 'chosen', reason: 'longest_idle' },
        { workerSid: junior, outcome: 'passed_over', reason: 'worker_expression_false' },
        { workerSid: offline, outcome: 'passed_over', reason: 'unavailable' },
      ],
    });
  });
});
