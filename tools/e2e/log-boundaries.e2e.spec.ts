import { Pool } from 'pg';
import {
  cleanUpTestStack, eventually, freePort, startScratchPostgres, startServices, TaskRouterTestClient, uniqueName,
  type RunningServices, type ScratchPostgres,
} from '@taskrouter/testing';
import { oneQueueWorkspace } from './test-support/one-queue-workspace';
import { runReplay } from './test-support/replay-command';

const BACKLOG = 1_300;
const AGENTS = 4;

/**
 * The whole pipeline while the log's numbers gain a digit: a cluster of our own whose
 * transaction counter starts below 1,000,000 and whose event positions start below 100,000, so
 * both cross during the run. Decimal text sorts "1000000" before "999999": a reader that orders
 * by text skips or repeats events exactly here (tasks never routed, reservations without timers).
 * Every task must be routed and the agents reserved, and replay must verify after.
 */
describe('the pipeline across transaction id 1,000,000 and positions gaining a digit', () => {
  let scratch: ScratchPostgres;
  let pool: Pool;
  let services: RunningServices;
  let api: TaskRouterTestClient;
  const name = uniqueName('e2e_bounds');

  beforeAll(async () => {
    scratch = await startScratchPostgres({ nextTransactionId: 998_000 });
    pool = new Pool({ connectionString: scratch.url, max: 2 });
    services = await startServices({ schema: name, topicPrefix: name, port: await freePort(), env: { DATABASE_URL: scratch.url } });
    api = new TaskRouterTestClient(services.baseUrl);
  });
  afterAll(async () => {
    await services?.stop();
    await pool?.end();
    await scratch?.stop();
    await cleanUpTestStack(name).catch(() => undefined); // Redis keys; the schema went with the cluster
  });

  const replay = (args: string[] = []) => runReplay({ schema: name, topicPrefix: name, databaseUrl: scratch.url }, args);

  it('routes every task of a backlog that crosses both boundaries, reserves one per agent, then replay verifies', async () => {
    const { ws, available, workflow } = await oneQueueWorkspace(api, 'bounds');
    const agents: string[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push((await api.ok('POST', ws('Workers'), { FriendlyName: `agent${i}`, ActivitySid: available })).sid);
    await pool.query(`SELECT setval('"${name}".events_position_seq', greatest((SELECT max(position) FROM "${name}".events), 99900))`);
    // Close to the boundary: the edge group-commits, so the backlog spends far fewer ids than tasks
    // (at least one per 10, the requests in flight at once), and most must land above it.
    await scratch.advanceTransactionIdTo(999_980n);

    // An open transaction holds every reader of the log back (nothing above it is read until it
    // ends), so the tasks pile up and the relay then reads pages full of ids of both lengths:
    // by text, a page of the 1,000 smallest would be all seven-digit ids, skipping the others.
    const holder = await pool.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_current_xact_id()');
    const tasks: string[] = [];
    try {
      const create = async (n: number) => tasks.push((await api.ok('POST', ws('Tasks'), { WorkflowSid: workflow, Attributes: JSON.stringify({ n }) })).sid);
      for (let i = 0; i < BACKLOG; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => create(i + k)));
    } finally {
      await holder.query('COMMIT');
      holder.release();
    }
    const { rows } = await pool.query<{ first_xid: string; last_xid: string; first_position: string; last_position: string; sevens: number }>(
      `SELECT min(transaction_id::text::bigint)::text AS first_xid, max(transaction_id::text::bigint)::text AS last_xid,
              min(position)::text AS first_position, max(position)::text AS last_position,
              count(*) FILTER (WHERE transaction_id::text::bigint >= 1000000)::int AS sevens
       FROM "${name}".events WHERE type = 'TaskCreated'`,
    );
    expect(BigInt(rows[0].first_xid)).toBeLessThan(1_000_000n);
    expect(BigInt(rows[0].last_xid)).toBeGreaterThanOrEqual(1_000_000n);
    expect(rows[0].sevens).toBeGreaterThan(1000); // more than one relay page of seven-digit ids
    expect(BigInt(rows[0].first_position)).toBeLessThan(100_000n);
    expect(BigInt(rows[0].last_position)).toBeGreaterThanOrEqual(100_000n);

    const unrouted = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}".rm_tasks WHERE task_queue_sid IS NULL`)).rows[0].n;
    await eventually(async () => ((await unrouted()) === 0 ? true : undefined), { timeoutMs: 120_000, intervalMs: 250, what: `all ${BACKLOG} tasks routed` });
    const reservedAgents = await eventually(async () => {
      const views = await Promise.all(tasks.map(async (sid) => (await pool.query<{ worker_sid: string }>(
        `SELECT worker_sid FROM "${name}".rm_reservations WHERE task_sid = $1 AND reservation_status = 'pending'`, [sid])).rows));
      const workers = new Set(views.flat().map((r) => r.worker_sid));
      return workers.size === AGENTS ? workers : undefined;
    }, { timeoutMs: 30_000, what: 'one pending reservation per agent' });
    expect([...reservedAgents].sort()).toEqual([...agents].sort());

    // Every committed event reached Kafka: the relay's checkpoint is the log's last event.
    await eventually(async () => {
      const behind = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${name}".events e, "${name}".checkpoints c
         WHERE c.name = $1 AND (e.transaction_id, e.position) > (c.transaction_id, c.position)`, [`outbox-relay:${name}.events`]);
      return behind.rows[0].n === 0 ? true : undefined;
    }, { what: 'the relay caught up with the log' });

    await services.stop();
    const verified = await replay();
    expect(verified.stderr).not.toMatch(/differ/);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('verified: the rebuilt tables, timers and availability index equal the live state');
  });

  it('never swaps in rebuilt tables that differ from the live ones; --repair does, and the next replay verifies', async () => {
    const task = (await pool.query<{ sid: string; priority: number }>(`SELECT sid, priority FROM "${name}".rm_tasks ORDER BY sid LIMIT 1`)).rows[0];
    await pool.query(`UPDATE "${name}".rm_tasks SET priority = priority + 1000 WHERE sid = $1`, [task.sid]);

    const refused = await replay(['--settle-seconds', '0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/rm_tasks: live \d+ rows, rebuilt \d+/);
    expect(refused.stderr).toContain('nothing was changed');
    const untouched = await pool.query<{ priority: number }>(`SELECT priority FROM "${name}".rm_tasks WHERE sid = $1`, [task.sid]);
    expect(untouched.rows[0].priority).toBe(task.priority + 1000);

    const repaired = await replay(['--repair', '--settle-seconds', '0']);
    expect(repaired.stdout).toContain('--repair: 1 current-state tables differed; the rebuilt ones were swapped in');
    const fixed = await pool.query<{ priority: number }>(`SELECT priority FROM "${name}".rm_tasks WHERE sid = $1`, [task.sid]);
    expect(fixed.rows[0].priority).toBe(task.priority);

    const again = await replay(['--settle-seconds', '0']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('verified');
  });
});
