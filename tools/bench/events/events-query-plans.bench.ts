import { loadavg } from 'node:os';
import type { EventListFilter } from '@taskrouter/contract';
import { migrateSchema } from '@taskrouter/event-store';
import { EventQueries, readModelMigrations } from '@taskrouter/read-model';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool, type QueryConfig } from 'pg';
import { saveBenchResults } from '../support/bench-results';

/**
 * The Events list's plans on a table of realistic size:
 *   node -r ./tools/register.js tools/bench/events/events-query-plans.bench.ts [--quick]
 * Fills rm_events in a fresh schema with 1,000,000 Events over 30 days (100,000 with --quick):
 * 4 workspaces, 5 queues and 500 workers each; per task 10 task and reservation Events and 5 of its
 * worker's activity changes; channels `default`, `voice` (10%) and `sms` (1%); a few rare types.
 * Then runs every documented filter through EventQueries (the API's own SQL) under EXPLAIN
 * ANALYZE, with the default 15 minutes, the whole 30 days, a day's StartDate/EndDate and a deep
 * page, and prints each plan's indexes and time. The schema is dropped after. Not a test.
 */
const QUICK = process.argv.includes('--quick');
const EVENTS = Number(process.env.BENCH_EVENTS_ROWS ?? (QUICK ? 100_000 : 1_000_000));
const DAY_MS = 86_400_000;
const NOW_MS = Date.parse('2026-03-01T00:00:00.000Z');
const sid = (prefix: string, n: string) => `'${prefix}' || lpad(to_hex(${n}), 32, '0')`;

const TASK_TYPES = [
  'task.created', 'workflow.entered', 'workflow.target-matched', 'task-queue.entered', 'reservation.created', 'reservation.accepted',
  'task.wrapup', 'reservation.wrapup', 'task.completed', 'reservation.completed',
];

async function fill(pool: Pool, schema: string): Promise<void> {
  const s = `"${schema}"`;
  const tasks = Math.floor(EVENTS / 15);
  await pool.query(`INSERT INTO ${s}.rm_workspaces SELECT ${sid('WS', 'w')}, 'AC' || repeat('0', 32), 'ws ' || w, ${sid('WA', '1')}, ${sid('WA', '2')},
      NULL, NULL, false, 'priority', now(), now() FROM generate_series(0, 3) w`);
  await pool.query(`INSERT INTO ${s}.rm_event_subjects
      SELECT ${sid('WS', 'w')}, ${sid('WS', 'w')}, jsonb_build_object('workspace_name', 'ws ' || w) FROM generate_series(0, 3) w
      UNION ALL SELECT ${sid('WQ', 'q')}, ${sid('WS', 'q % 4')}, jsonb_build_object('task_queue_name', 'queue ' || q) FROM generate_series(0, 19) q
      UNION ALL SELECT ${sid('WW', 'f')}, ${sid('WS', 'f')}, jsonb_build_object('workflow_name', 'flow ' || f) FROM generate_series(0, 3) f`);
  const types = `ARRAY[${TASK_TYPES.map((t) => `'${t}'`).join(', ')}]`;
  // Task t: workspace t % 4, queue (t / 4) % 5 of it, worker (t / 4) % 500 of it, started at a uniform instant of the 30 days.
  await pool.query(`INSERT INTO ${s}.rm_events (sid, workspace_sid, event_type, resource_type, resource_sid, actor_type, actor_sid, event_date, event_date_ms,
      stream_version, idx, task_sid, worker_sid, reservation_sid, task_queue_sid, workflow_sid, task_channel, event_data)
    SELECT ${sid('EV', 't::bigint * 16 + i')}, ws, type, CASE WHEN i < 10 THEN 'task' ELSE 'worker' END, CASE WHEN i < 10 THEN task ELSE worker END,
      'workspace', ws, at, (extract(epoch FROM at) * 1000)::bigint, i + 1, 0,
      CASE WHEN i < 10 THEN task END, CASE WHEN i >= 10 OR type LIKE 'reservation.%' THEN worker END,
      CASE WHEN type LIKE 'reservation.%' THEN ${sid('WR', 't')} END, CASE WHEN i >= 2 AND i < 10 THEN queue END, CASE WHEN i < 10 THEN flow END,
      CASE WHEN i < 10 THEN channel END,
      jsonb_build_object('task_sid', task, 'task_attributes', jsonb_build_object('customer', 'c' || t, 'language', 'en', 'notes', repeat('x', 300)),
        'task_channel_sid', CASE WHEN i < 10 THEN ${sid('TC', "CASE channel WHEN 'default' THEN 0 WHEN 'voice' THEN 1 ELSE 2 END")} END,
        'worker_sid', worker, 'worker_name', 'worker ' || (t / 4) % 500, 'task_queue_sid', queue, 'workflow_sid', flow)
    FROM (
      SELECT t, i, ${sid('WS', 't % 4')} AS ws, ${sid('WT', 't')} AS task, ${sid('WK', '(t % 4) * 1000 + (t / 4) % 500')} AS worker,
        ${sid('WQ', '(t % 4) + 4 * ((t / 4) % 5)')} AS queue, ${sid('WW', 't % 4')} AS flow,
        CASE WHEN (t / 4) % 100 = 7 THEN 'sms' WHEN (t / 4) % 10 = 3 THEN 'voice' ELSE 'default' END AS channel,
        CASE WHEN i < 10 THEN (${types})[i + 1] ELSE 'worker.activity.update' END AS type,
        to_timestamp((${NOW_MS - 30 * DAY_MS} + (hashint4(t)::bigint + 2147483648) % ${30 * DAY_MS - 3_600_000} + i * 20000) / 1000.0) AS at
      FROM generate_series(0, ${tasks - 1}) t, generate_series(0, 14) i
    ) x`);
  // A rare type: a few workspace updates a day.
  await pool.query(`INSERT INTO ${s}.rm_events (sid, workspace_sid, event_type, resource_type, resource_sid, actor_type, actor_sid, event_date, event_date_ms,
      stream_version, idx, event_data)
    SELECT ${sid('EV', `${tasks * 16 + 100} + n`)}, ${sid('WS', 'n % 4')}, 'workspace.updated', 'workspace', ${sid('WS', 'n % 4')}, 'workspace', ${sid('WS', 'n % 4')},
      to_timestamp((${NOW_MS - 30 * DAY_MS} + n::bigint * 3600000) / 1000.0), ${NOW_MS - 30 * DAY_MS} + n::bigint * 3600000, n + 1, 0, '{}'
    FROM generate_series(0, 719) n`);
  await pool.query(`VACUUM ANALYZE ${s}.rm_events`);
  await pool.query(`ANALYZE ${s}.rm_event_subjects`);
  await pool.query(`ANALYZE ${s}.rm_workspaces`);
}

interface Plan {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: Plan[];
}

function indexesOf(plan: Plan, out: string[] = []): string[] {
  if (plan['Index Name'] && !/rm_event_subjects|rm_workspaces/.test(plan['Index Name'])) out.push(`${plan['Node Type']} ${plan['Index Name']}`);
  for (const child of plan.Plans ?? []) indexesOf(child, out);
  return out;
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2, application_name: 'events-plans-bench' });
  const schema = uniqueName('bench_evp');
  const results: Array<Record<string, unknown>> = [];
  try {
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await migrateSchema(pool, schema, readModelMigrations);
    const filled = performance.now();
    await fill(pool, schema);
    const rows = Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".rm_events`)).rows[0].n);
    console.log(`${rows.toLocaleString('en')} Events written in ${Math.round((performance.now() - filled) / 1000)} s; load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    let explained: { plan: Plan; ms: number; rows: number } | undefined;
    const explaining = {
      query: async (query: QueryConfig) => {
        const { rows: out } = await pool.query({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.text}`, values: query.values });
        const top = out[0]['QUERY PLAN'][0] as { Plan: Plan & { 'Actual Rows': number }; 'Execution Time': number };
        explained = { plan: top.Plan, ms: top['Execution Time'], rows: top.Plan['Actual Rows'] };
        return { rows: [] };
      },
    } as unknown as Pool;
    const queries = new EventQueries(explaining, schema);

    const WS = `WS${'0'.repeat(32)}`;
    const hex = (n: number) => n.toString(16).padStart(32, '0');
    const windows: Record<string, Pick<EventListFilter, 'fromMs' | 'toMs'>> = {
      'Minutes=15': { fromMs: NOW_MS - 15 * 60_000 - DAY_MS / 2, toMs: NOW_MS - DAY_MS / 2 },
      'Minutes=43200': { fromMs: NOW_MS - 30 * DAY_MS, toMs: NOW_MS },
      'StartDate..EndDate (a day)': { fromMs: NOW_MS - 10 * DAY_MS, toMs: NOW_MS - 9 * DAY_MS },
    };
    const filters: Record<string, Partial<EventListFilter>> = {
      none: {},
      'EventType=task.created': { eventType: 'task.created' },
      'EventType=workspace.updated (rare)': { eventType: 'workspace.updated' },
      TaskSid: { taskSid: `WT${hex(4 * 1234)}` },
      WorkerSid: { workerSid: `WK${hex(17)}` },
      ReservationSid: { reservationSid: `WR${hex(4 * 1234)}` },
      TaskQueueSid: { taskQueueSid: `WQ${hex(4)}` },
      WorkflowSid: { workflowSid: `WW${hex(0)}` },
      'TaskChannel=voice': { taskChannel: 'voice' },
      'TaskChannel=sms (1%)': { taskChannel: 'sms' },
      'TaskChannel=TC…2 (sms by SID)': { taskChannel: `TC${hex(2)}` },
      Sid: { sid: `EV${hex(4 * 1234 * 16 + 3)}` },
      'WorkerSid+EventType': { workerSid: `WK${hex(17)}`, eventType: 'reservation.created' },
    };
    for (const [windowName, window] of Object.entries(windows)) {
      for (const [filterName, filter] of Object.entries(filters)) {
        for (const [pageName, slice] of Object.entries({ 'page 0': { offset: 0, limit: 50 }, 'page 10': { offset: 500, limit: 50 } })) {
          if (pageName === 'page 10' && windowName !== 'Minutes=43200') continue;
          await queries.list(WS, { ...window, ...filter }, slice);
          const { plan, ms, rows: answered } = explained!;
          const result = { window: windowName, filter: filterName, page: pageName, ms: Math.round(ms * 100) / 100, rows: answered, indexes: [...new Set(indexesOf(plan))] };
          results.push(result);
          console.log(`${windowName.padEnd(27)} ${filterName.padEnd(36)} ${pageName}  ${String(result.ms).padStart(8)} ms  ${String(answered).padStart(3)} rows  ${result.indexes.join(', ') || 'NO INDEX'}`);
        }
      }
    }
    await queries.event(WS, `EV${hex(4 * 1234 * 16 + 3)}`, NOW_MS - 30 * DAY_MS);
    console.log(`fetch /Events/{EV}: ${Math.round(explained!.ms * 100) / 100} ms  ${indexesOf(explained!.plan).join(', ')}`);
    const sizes = (await pool.query(`SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname LIKE 'rm_events%' ORDER BY c.relname`, [schema])).rows;
    console.log(sizes.map((r) => `${r.relname} ${r.size}`).join('; '));
    console.log(`saved ${saveBenchResults('events-query-plans', { events: rows, loadAverage: loadavg(), plans: results, sizes })}`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
