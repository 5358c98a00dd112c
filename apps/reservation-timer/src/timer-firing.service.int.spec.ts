import {
  decideTask, decideWorkflow, decideWorkspace, evolveWorkspace, initialTaskState, initialWorkflowState, initialWorkspaceState, type WorkspaceState,
} from '@taskrouter/domain';
import { PostgresEventStore, migrateSchema, type BatchDecision, type StreamAppend } from '@taskrouter/event-store';
import { ReadModelProjector, readModelMigrations } from '@taskrouter/read-model';
import { AggregateStore, DecisionBatch, appendTo } from '@taskrouter/runtime';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { TimerFiringService } from './timer-firing.service';
import { timerMigrations } from './timer-migrations';
import { TimerStore, type NewTimer } from './timer-store';

/** A tick's firing against the real Postgres: decisions on the log, timers claimed and removed. */
describe('TimerFiringService', () => {
  const schema = uniqueName('firing');
  const pool = new Pool({ connectionString: testDatabaseUrl() });
  const eventStore = new PostgresEventStore(pool, { schema });
  const projector = new ReadModelProjector(schema);
  const aggregates = new AggregateStore(eventStore);
  const timers = new TimerStore(pool, schema);
  let sequence = 0;
  const newSid = (prefix: string) => `${prefix}${(++sequence).toString(16).padStart(32, '0')}`;
  const start = new Date('2026-05-01T09:00:00.000Z');
  let clock = start;
  const now = () => clock;
  /** As `ServiceInfrastructure.append`: joins the batch while it collects, else appends at once. */
  const append = (appends: StreamAppend[]) => {
    const batch = DecisionBatch.current();
    if (batch?.collecting) return batch.collect({ appends }, aggregates.evolvePending);
    return eventStore.append(appends, projector.project);
  };
  const transactions: number[] = [];
  const log = {
    commit: (decisions: BatchDecision[]) => {
      transactions.push(decisions.length);
      return eventStore.appendBatch(decisions, projector.project);
    },
    committed: aggregates.acceptBatch,
  };
  const firing = new TimerFiringService(aggregates, timers, append, log, now);

  let workspace: WorkspaceState;
  let workflowSid: string;

  beforeAll(async () => {
    await eventStore.migrate();
    await migrateSchema(pool, schema, readModelMigrations);
    await migrateSchema(pool, schema, timerMigrations);
    const workspaceSid = newSid('WS');
    const events = decideWorkspace({ type: 'CreateWorkspace', workspaceSid, accountSid: newSid('AC'), friendlyName: 'firing', newSid }, initialWorkspaceState, now());
    await append([{ streamId: `workspace:${workspaceSid}`, expectedVersion: 0, events: events.map((e) => ({ type: e.type, data: e.data as Record<string, unknown> })) }]);
    workspace = events.reduce(evolveWorkspace, initialWorkspaceState);
    workflowSid = newSid('WW');
    const queueSid = newSid('WQ');
    const configuration = JSON.stringify({ task_routing: { filters: [], default_filter: { queue: queueSid } } });
    await append([appendTo(await aggregates.load('workflow', workflowSid), decideWorkflow({ type: 'CreateWorkflow', workflowSid, friendlyName: 'wf', configuration }, initialWorkflowState, workspace, new Set([queueSid]), now()), {})]);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await pool.end();
  });

  beforeEach(() => {
    clock = start;
    transactions.length = 0;
  });

  /** A pending task routed into a step with a 30 s timeout; its timers as the scheduler writes them. */
  async function routedTask(): Promise<{ taskSid: string; ttl: NewTimer; target: NewTimer }> {
    const taskSid = newSid('WT');
    const flow = (await aggregates.load('workflow', workflowSid)).state;
    await append([appendTo(await aggregates.load('task', taskSid), decideTask({ type: 'CreateTask', taskSid, workflow: flow, channel: workspace.channels['default'], attributes: {}, timeout: 60 }, initialTaskState, workspace, now()), {})]);
    const task = await aggregates.load('task', taskSid);
    const step = { filterIndex: 0, targetIndex: 0 };
    await append([appendTo(task, decideTask({ type: 'RouteTask', triggerVersion: 1, outcome: { kind: 'routed', step, filterName: '', queueSid: newSid('WQ'), timeout: 30, explanation: [] } }, task.state, workspace, now()), {})]);
    const ids = { workspaceSid: workspace.workspaceSid, taskSid };
    const at = now().toISOString();
    return {
      taskSid,
      ttl: { kind: 'ttl', ...ids, ref: 'ttl', payload: {}, dueAt: new Date(start.getTime() + 60_000) },
      target: { kind: 'target', ...ids, ref: `0:0:${at}`, payload: { step, enteredAt: at }, dueAt: new Date(start.getTime() + 30_000) },
    };
  }
  const typesOf = async (taskSid: string) => (await eventStore.readStream(`task:${taskSid}`)).events.map((e) => e.type);
  const timersOf = async (...taskSids: string[]) =>
    (await pool.query(`SELECT kind, lease_until FROM "${schema}".timers WHERE task_sid = ANY($1) ORDER BY kind`, [taskSids])).rows as Array<{ kind: string; lease_until: Date | null }>;

  it('fires the due timers of a tick in one transaction, a task\'s in due order on the state the one before left, and removes them all', async () => {
    const [a, b, c] = [await routedTask(), await routedTask(), await routedTask()];
    for (const t of [a, b, c]) {
      await timers.schedule(t.ttl);
      await timers.schedule(t.target);
    }
    clock = new Date(start.getTime() + 45_000);
    expect(await firing.tick()).toBe(3);
    expect(transactions).toEqual([3]);
    expect(await typesOf(a.taskSid)).toEqual(['TaskCreated', 'TaskRouted', 'TaskTargetTimedOut']);
    expect(await timersOf(a.taskSid, b.taskSid, c.taskSid)).toEqual([{ kind: 'ttl', lease_until: null }, { kind: 'ttl', lease_until: null }, { kind: 'ttl', lease_until: null }]);

    clock = new Date(start.getTime() + 61_000);
    expect(await firing.tick()).toBe(3);
    expect(transactions).toEqual([3, 3]);
    for (const t of [a, b, c]) expect(await typesOf(t.taskSid)).toEqual(['TaskCreated', 'TaskRouted', 'TaskTargetTimedOut', 'TaskCanceled']);
    expect(await timersOf(a.taskSid, b.taskSid, c.taskSid)).toEqual([]);
    expect(await firing.tick()).toBe(0);
  });

  it('decides on the state an earlier timer of the same tick produced: two timers of one task, one transaction', async () => {
    const a = await routedTask();
    // Written in the other order than they fall due: the tick still takes the step timeout first.
    await timers.schedule(a.ttl);
    await timers.schedule(a.target);
    clock = new Date(start.getTime() + 61_000);
    expect(await firing.tick()).toBe(2);
    expect(transactions).toEqual([2]);
    expect(await typesOf(a.taskSid)).toEqual(['TaskCreated', 'TaskRouted', 'TaskTargetTimedOut', 'TaskCanceled']);
    expect(await timersOf(a.taskSid)).toEqual([]);
  });

  it('removes a stale timer that decides nothing, without a transaction', async () => {
    const a = await routedTask();
    await timers.schedule({ ...a.target, ref: '0:0:2020-01-01T00:00:00.000Z', payload: { step: { filterIndex: 0, targetIndex: 0 }, enteredAt: '2020-01-01T00:00:00.000Z' } });
    clock = new Date(start.getTime() + 45_000);
    expect(await firing.tick()).toBe(1);
    expect(transactions).toEqual([]);
    expect(await typesOf(a.taskSid)).toEqual(['TaskCreated', 'TaskRouted']);
    expect(await timersOf(a.taskSid)).toEqual([]);
  });

  it('gives a timer whose decision fails back at once, and fires the others of the tick', async () => {
    const [a, b] = [await routedTask(), await routedTask()];
    await timers.schedule(a.target);
    // Its workspace is unknown: the step timeout is refused (not found), every time.
    await timers.schedule({ ...b.target, workspaceSid: newSid('WS') });
    clock = new Date(start.getTime() + 45_000);
    await expect(firing.tick()).rejects.toThrow('1 of 2 due timers failed; they will be retried');
    expect(await typesOf(a.taskSid)).toEqual(['TaskCreated', 'TaskRouted', 'TaskTargetTimedOut']);
    expect(await timersOf(a.taskSid)).toEqual([]);
    expect(await timersOf(b.taskSid)).toEqual([{ kind: 'target', lease_until: null }]);
    await pool.query(`DELETE FROM "${schema}".timers WHERE task_sid = $1`, [b.taskSid]);
  });
});
