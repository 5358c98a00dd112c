import { migrateSchema, withTransaction, type StoredEvent } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { READ_MODEL_TABLES, readModelMigrations } from '../read-model-migrations';
import { wholeReadModel } from '../test-support/whole-read-model';
import { STATISTICS_TABLES } from './statistics-migration';

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');
const WS = sid('WS', 3);
const WF = sid('WW', 3);
const Q = sid('WQ', 3);
const WK = sid('WK', 3);
const day = (n: number, seconds = 0) => new Date(Date.UTC(2026, 0, 1 + n, 9, 0, seconds)).toISOString();
const offline = { sid: sid('WA', 1), name: 'Offline', available: false };
const available = { sid: sid('WA', 2), name: 'Available', available: true };

let position = 0;
function stream(streamId: string, from: number, events: Array<[string, Record<string, unknown>]>): StoredEvent[] {
  return events.map(([type, data], i) => ({
    position: String(++position), transactionId: String(position), streamId, streamVersion: from + i, type, schemaVersion: 1,
    data: { workspaceSid: WS, ...data }, metadata: {}, recordedAt: String(data.at),
  }));
}

const created = (task: string, at: string): [string, Record<string, unknown>] =>
  ['TaskCreated', { taskSid: task, workflowSid: WF, attributes: {}, priority: 0, taskChannelSid: sid('TC', 1), taskChannelUniqueName: 'voice', timeout: 3600, at }];
const routed = (task: string, at: string): [string, Record<string, unknown>] => ['TaskRouted', {
  taskSid: task, workflowSid: WF, step: { filterIndex: 0, targetIndex: 0 }, filterName: 'f', queueSid: Q, previousQueueSid: null, priority: 0,
  targetTimeout: null, explanation: [], triggerVersion: 1, at,
}];

/** Day 0: a worker's stay ends, a task is accepted; day 30: another stay ends, a task is canceled; day 31: a task is created. */
function log(): StoredEvent[] {
  const [t1, t2, t3] = [sid('WT', 1), sid('WT', 2), sid('WT', 3)];
  return [
    ...stream(`worker:${WK}`, 1, [
      ['WorkerCreated', { workerSid: WK, friendlyName: 'Maria', attributes: {}, activity: offline, channels: [], at: day(0) }],
      ['WorkerActivityChanged', { workerSid: WK, activity: available, previousActivity: offline, cause: 'api', at: day(0, 5) }],
    ]),
    ...stream(`task:${t1}`, 1, [
      created(t1, day(0, 10)), routed(t1, day(0, 11)),
      ['TaskReserved', { taskSid: t1, reservationSid: sid('WR', 1), workerSid: WK, workerName: 'Maria', queueSid: Q, reservationTimeout: 60, at: day(0, 12) }],
      ['ReservationAccepted', { taskSid: t1, reservationSid: sid('WR', 1), workerSid: WK, at: day(0, 13) }],
    ]),
    ...stream(`worker:${WK}`, 3, [['WorkerActivityChanged', { workerSid: WK, activity: offline, previousActivity: available, cause: 'api', at: day(30, 1) }]]),
    ...stream(`task:${t2}`, 1, [
      created(t2, day(30, 2)), routed(t2, day(30, 3)),
      ['TaskCanceled', { taskSid: t2, reason: 'gone', reservationSid: null, workerSid: null, cause: 'api', at: day(30, 4) }],
    ]),
    ...stream(`task:${t3}`, 1, [created(t3, day(31, 1))]),
    ...stream(`worker:${WK}`, 4, [['WorkerActivityChanged', { workerSid: WK, activity: available, previousActivity: offline, cause: 'api', at: day(31, 2) }]]),
  ];
}

/**
 * The statistics keep their 30 days of history as the Events do: rows older than 30 days before
 * the UTC day of the newest event projected are not written and are deleted, so a replay, cut
 * anywhere, holds exactly the rows appends one at a time left.
 */
describe('the statistics retention', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const schemas = [uniqueName('stats_keep_a'), uniqueName('stats_keep_b')];

  beforeAll(async () => {
    for (const schema of schemas) {
      await pool.query(`CREATE SCHEMA "${schema}"`);
      await migrateSchema(pool, schema, readModelMigrations);
    }
  });
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function project(schema: string, batches: StoredEvent[][]): Promise<Record<string, unknown[]>> {
    await pool.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"${schema}".${t}`).join(', ')}`);
    const projectBatch = wholeReadModel(schema);
    for (const batch of batches) await withTransaction(pool, (tx) => projectBatch(tx, batch));
    const tables: Record<string, unknown[]> = {};
    for (const table of STATISTICS_TABLES) tables[table] = (await pool.query(`SELECT * FROM "${schema}".${table} ORDER BY sid`)).rows;
    return tables;
  }

  it('keeps 30 days before the UTC day of the newest event, however the log is cut', async () => {
    const events = log();
    const oneByOne = await project(schemas[0], events.map((e) => [e]));
    expect(await project(schemas[1], [events])).toEqual(oneByOne);
    for (const cut of [2, 6, 7, 10]) expect(await project(schemas[1], [events.slice(0, cut), events.slice(cut)])).toEqual(oneByOne);

    // Day 0 is older than day 31 less 30 days: its buckets, wait and stay are gone; day 30's and 31's are kept.
    const minutes = oneByOne.rm_stats_minutes as Array<{ minute: Date; scope: string; tasks_created: string; tasks_canceled: string }>;
    expect([...new Set(minutes.map((m) => m.minute.toISOString()))].sort()).toEqual([day(30, 0), day(31, 0)]);
    const workspace = minutes.filter((m) => m.scope === 'workspace');
    expect(workspace.reduce((n, m) => n + Number(m.tasks_created), 0)).toBe(2);
    expect(workspace.reduce((n, m) => n + Number(m.tasks_canceled), 0)).toBe(1);
    expect((oneByOne.rm_stats_waits as Array<{ kind: string; at: Date }>).map((w) => [w.kind, w.at.toISOString()])).toEqual([['canceled', day(30, 4)]]);
    expect((oneByOne.rm_stats_activity_spells as Array<{ ended_at: Date }>).map((s) => s.ended_at.toISOString()).sort()).toEqual([day(30, 1), day(31, 2)]);
  });

  it('prunes what appends wrote before, on the first append of a newer day', async () => {
    const events = log();
    const early = events.filter((e) => String(e.data.at) < day(1));
    const schema = schemas[0];
    const before = await project(schema, [early]);
    expect(before.rm_stats_minutes.length).toBeGreaterThan(0);
    expect(before.rm_stats_waits).toHaveLength(1);
    expect(before.rm_stats_activity_spells).toHaveLength(1);
    // Appended later by the same process, a day-31 task event and a worker event: every day-0 row goes.
    const projectBatch = wholeReadModel(schema);
    const late = events.filter((e) => String(e.data.at) >= day(31));
    for (const event of late) await withTransaction(pool, (tx) => projectBatch(tx, [event]));
    const counted = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM "${schema}".${table}`)).rows[0].n);
    expect(await counted('rm_stats_waits')).toBe(0);
    expect(await counted('rm_stats_activity_spells')).toBe(1);
    const { rows } = await pool.query(`SELECT DISTINCT minute FROM "${schema}".rm_stats_minutes`);
    expect(rows.map((r) => (r.minute as Date).toISOString())).toEqual([day(31, 0)]);
  });
});
