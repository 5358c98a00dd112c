import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventPublisher, KafkaConnection } from '@taskrouter/messaging';
import {
  cleanUpTestStack, eventually, freePort, startServices, TaskRouterTestClient, testDatabaseUrl, testKafkaBrokers, uniqueName,
  type RunningServices,
} from '@taskrouter/testing';
import { Pool } from 'pg';
import { oneQueueWorkspace, type OneQueueWorkspace } from './test-support/one-queue-workspace';

const REPO_ROOT = join(__dirname, '..', '..');
const HIGH = 30;
const LOW = 10;
const MAX_CREATES_IN_FLIGHT = 4;

/**
 * Admission under overload (docs/limits.md), on the four services: with the workflow-evaluator
 * stopped, routing cannot keep up with anything, so the backlog crosses a small high mark and
 * task creation must be answered 503 with Retry-After in TaskRouter's error shape, while reads,
 * completions, reservation accepts and worker updates go on. Once the evaluator is back and has
 * drained the backlog to the low mark, tasks are admitted again, and every task that was
 * answered 201 is in the log and routed: nothing acknowledged is lost, nothing refused was kept.
 */
describe('admission under overload', () => {
  let services: RunningServices;
  let api: TaskRouterTestClient;
  let pool: Pool;
  let setup: OneQueueWorkspace;
  const name = uniqueName('e2e_adm');
  /** Every task answered 201, by this spec, over HTTP. */
  const accepted: string[] = [];

  beforeAll(async () => {
    services = await startServices({
      schema: name, topicPrefix: name, port: await freePort(),
      env: {
        ADMISSION_BACKLOG_HIGH: String(HIGH), ADMISSION_BACKLOG_LOW: String(LOW), ADMISSION_SAMPLE_MS: '100',
        ADMISSION_MAX_IN_FLIGHT: '64', ADMISSION_MAX_CREATES_IN_FLIGHT: String(MAX_CREATES_IN_FLIGHT),
      },
    });
    api = new TaskRouterTestClient(services.baseUrl);
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    setup = await oneQueueWorkspace(api, 'overload');
  });
  afterAll(async () => {
    await pool?.end();
    await services?.stop();
    await cleanUpTestStack(name);
  });

  const createTask = async (i: number) => {
    const answer = await api.request('POST', setup.ws('Tasks'), { WorkflowSid: setup.workflow, Attributes: JSON.stringify({ i }) });
    if (answer.status === 201) accepted.push(answer.body.sid as string);
    return answer;
  };
  const eventsOf = async (type: string, sids: string[]) => (await pool.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM "${name}".events WHERE type = $1 AND stream_id = ANY($2::text[])`, [type, sids.map((sid) => `task:${sid}`)])).rows.length;
  const pendingReservation = (taskSid: string) => eventually(async () => ((await api.ok('GET', setup.ws(`Tasks/${taskSid}/Reservations`))).reservations as Array<{ sid: string; reservation_status: string }>)
    .find((r) => r.reservation_status === 'pending'), { what: `a pending reservation of ${taskSid}`, timeoutMs: 30_000 });

  it('answers task creation 503 with Retry-After while routing is behind, keeps draining requests going, resumes once drained, and loses nothing', async () => {
    const agent = (await api.ok('POST', setup.ws('Workers'), { FriendlyName: 'agent', ActivitySid: setup.available })).sid as string;
    const first = (await createTask(0)).body.sid as string;
    const reservation = await pendingReservation(first);

    await services.stop('workflow-evaluator');
    // Nothing routes now: every created task adds to the evaluator group's lag.
    let refusal: Awaited<ReturnType<typeof createTask>> | undefined;
    for (let i = 1; i <= 50 * HIGH && !refusal; i++) {
      const answer = await createTask(i);
      if (answer.status === 503) refusal = answer;
      else expect(answer.status).toBe(201);
    }
    if (!refusal) throw new Error(`no 503 after ${accepted.length} tasks with the evaluator stopped`);
    expect(accepted.length).toBeGreaterThanOrEqual(HIGH);
    expect(refusal.body).toEqual({
      code: 20503, message: expect.stringMatching(/^Service unavailable: routing is behind/), more_info: 'https://www.twilio.com/docs/errors/20503', status: 503,
    });
    const retryAfter = refusal.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(30);
    expect(services.output('task-ingest')).toMatch(new RegExp(`reached ADMISSION_BACKLOG_HIGH \\(${HIGH}\\): new tasks are refused with 503`));

    // Meanwhile what reads or drains is still served: reads, an accept, a completion, a task update, a worker update.
    expect((await api.request('GET', setup.ws('Tasks'))).status).toBe(200);
    expect((await api.request('GET', setup.ws(`Tasks/${accepted[1]}`))).status).toBe(200);
    expect((await api.request('POST', setup.ws(`Tasks/${first}/Reservations/${reservation.sid}`), { ReservationStatus: 'accepted' })).status).toBe(200);
    expect((await api.request('POST', setup.ws(`Tasks/${first}`), { AssignmentStatus: 'completed', Reason: 'done' })).status).toBe(200);
    expect((await api.request('POST', setup.ws(`Tasks/${accepted[1]}`), { Priority: 5 })).status).toBe(200);
    expect((await api.request('POST', setup.ws(`Workers/${agent}`), { Attributes: JSON.stringify({ shift: 'late' }) })).status).toBe(200);
    // A work item published now is held or taken, never lost.
    const workItem = uniqueName('item');
    const kafka = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: uniqueName('e2e_adm') });
    const publisher = new EventPublisher(kafka);
    try {
      await publisher.publish([{ topic: `${name}.work-items`, key: workItem, value: JSON.stringify({ accountSid: 'AC00000000000000000000000000000001', workspaceSid: setup.workspace, workflowSid: setup.workflow, id: workItem }) }]);
    } finally {
      await publisher.disconnect();
    }
    // Still behind, still refused: nothing drains the evaluator's backlog while it is stopped.
    const stillRefused = await api.request('POST', setup.ws('Tasks'), { WorkflowSid: setup.workflow });
    expect(stillRefused.status).toBe(503);
    expect(stillRefused.headers.get('retry-after')).toMatch(/^\d+$/);

    await services.start('workflow-evaluator');
    const resumed = await eventually(async () => {
      const answer = await createTask(-1);
      return answer.status === 201 ? answer : undefined;
    }, { what: 'task creation admitted again once the evaluator drained the backlog', timeoutMs: 60_000, intervalMs: 200 });
    expect(resumed.body.sid).toMatch(/^WT/);
    expect(services.output('task-ingest')).toMatch(/new tasks admitted again \(\d+ refused meanwhile\)/);

    // Every 201 was stored and is routed; the 503s stored nothing.
    expect(await eventsOf('TaskCreated', accepted)).toBe(accepted.length);
    await eventually(async () => ((await eventsOf('TaskRouted', accepted)) === accepted.length ? true : undefined), {
      what: `all ${accepted.length} accepted tasks routed`, timeoutMs: 60_000, intervalMs: 250,
    });
    const fromWorkItems = await eventually(async () => {
      const tasks = (await api.ok('GET', `${setup.ws('Tasks')}?PageSize=1000`)).tasks as Array<{ sid: string }>;
      const others = tasks.map((t) => t.sid).filter((sid) => !accepted.includes(sid));
      return others.length === 1 ? others : undefined;
    }, { what: 'the work item published during the overload, as a task', timeoutMs: 30_000 });
    await eventually(async () => ((await eventsOf('TaskRouted', fromWorkItems)) === 1 ? true : undefined), { what: 'the work item\'s task routed' });
    const created = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}".events WHERE type = 'TaskCreated'`);
    expect(created.rows[0].n).toBe(accepted.length + 1);
  });

  it('answers 429 with Retry-After beyond the task creations one process runs at once, and still serves reads', async () => {
    const before = accepted.length;
    const burst = await Promise.all(Array.from({ length: 12 * MAX_CREATES_IN_FLIGHT }, (_, i) => createTask(1000 + i)));
    const statuses = new Set(burst.map((answer) => answer.status));
    // Some may be 503 too if the admitted ones pushed the backlog over the (tiny) high mark.
    expect([...statuses].every((status) => status === 201 || status === 429 || status === 503)).toBe(true);
    const refused = burst.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].body).toEqual({ code: 20429, message: expect.stringMatching(/^Too many requests/), more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    expect(refused[0].headers.get('retry-after')).toBe('1');
    expect((await api.request('GET', setup.ws('Tasks'))).status).toBe(200);
    const admitted = accepted.slice(before);
    expect(admitted.length).toBe(burst.filter((answer) => answer.status === 201).length);
    await eventually(async () => ((await eventsOf('TaskRouted', admitted)) === admitted.length ? true : undefined), { what: 'every admitted task of the burst routed', timeoutMs: 30_000 });
  });

  it('refuses to start with a malformed threshold, naming the variable', async () => {
    const run = await promisify(execFile)(process.execPath, ['-r', join(REPO_ROOT, 'tools', 'register.js'), join(REPO_ROOT, 'apps', 'task-ingest', 'src', 'main.ts')], {
      cwd: REPO_ROOT, env: { ...process.env, ADMISSION_BACKLOG_HIGH: '100', ADMISSION_BACKLOG_LOW: '100', TASKROUTER_SCHEMA: name, TASKROUTER_TOPIC_PREFIX: name, PORT: String(await freePort()) },
    }).then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }));
    expect(run).toEqual({ code: 1, stderr: 'task-ingest could not start: ADMISSION_BACKLOG_LOW (100) must be below ADMISSION_BACKLOG_HIGH (100), so that shedding, once started, can stop\n' });
  });
});
