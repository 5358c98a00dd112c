import { PostgresEventStore, migrateSchema, withTransaction, type StoredEvent } from '@taskrouter/event-store';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { READ_MODEL_TABLES, readModelMigrations } from '../read-model-migrations';
import { wholeReadModel } from '../test-support/whole-read-model';
import { HISTORY_EVENT_TYPES } from '../history/history-projection';
import { HistoryProjector } from '../history/history-projector';
import { ReadModelProjector } from '../read-model-projector';
import { rebuildReadModel } from '../read-model-rebuild';

const WS = `WS${'e'.repeat(32)}`;
const WK = `WK${'e'.repeat(32)}`;
const WT = `WT${'e'.repeat(32)}`;
const WR = `WR${'e'.repeat(32)}`;
const day = (n: number, seconds = 0) => new Date(Date.UTC(2026, 0, 1 + n, 9, 0, seconds)).toISOString();
const offline = { sid: `WA${'0'.repeat(31)}1`, name: 'Offline', available: false };
const available = { sid: `WA${'0'.repeat(31)}2`, name: 'Available', available: true };

let position = 0;
/** Stored events of one stream, versions from `from`. */
function stream(streamId: string, from: number, events: Array<[string, Record<string, unknown>]>): StoredEvent[] {
  return events.map(([type, data], i) => ({
    position: String(++position), transactionId: String(position), streamId, streamVersion: from + i, type, schemaVersion: 1,
    data: { workspaceSid: WS, ...data }, metadata: {}, recordedAt: String(data.at),
  }));
}

/**
 * The Events table is a projection like the others: whatever the cut of the log into batches,
 * live or replayed, it holds the same rows (facts of the batch so far over the table's).
 */
describe('the Events projection', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const schemas = [uniqueName('rm_ev_a'), uniqueName('rm_ev_b')];

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

  async function project(schema: string, batches: StoredEvent[][]) {
    await pool.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"${schema}".${t}`).join(', ')}`);
    const projectBatch = wholeReadModel(schema);
    await withTransaction(pool, async (tx) => {
      for (const batch of batches) await projectBatch(tx, batch);
    });
    const events = (await pool.query(`SELECT * FROM "${schema}".rm_events ORDER BY sid`)).rows;
    const subjects = (await pool.query(`SELECT * FROM "${schema}".rm_event_subjects ORDER BY sid`)).rows;
    return { events, subjects };
  }

  const worker = () => stream(`worker:${WK}`, 1, [
    ['WorkerCreated', { workerSid: WK, friendlyName: 'Maria', attributes: {}, activity: offline, channels: [], at: day(0) }],
  ]);
  const reservedTask = () => stream(`task:${WT}`, 1, [
    ['TaskCreated', { taskSid: WT, workflowSid: `WW${'e'.repeat(32)}`, attributes: { a: 1 }, priority: null, taskChannelSid: 'TC1', taskChannelUniqueName: 'voice', timeout: 60, at: day(0, 1) }],
    ['TaskReserved', { taskSid: WT, reservationSid: WR, workerSid: WK, workerName: 'Maria', queueSid: `WQ${'e'.repeat(32)}`, reservationTimeout: 60, at: day(0, 2) }],
    ['ReservationAccepted', { taskSid: WT, reservationSid: WR, workerSid: WK, at: day(0, 3) }],
  ]);

  it('completes a wrap-up from the task\'s worker as it stood, whether the worker changed in the same batch or before it', async () => {
    const changed = stream(`worker:${WK}`, 2, [['WorkerActivityChanged', { workerSid: WK, activity: available, previousActivity: offline, cause: 'api', at: day(0, 4) }]]);
    const wrapped = stream(`task:${WT}`, 4, [['TaskWrappingUp', { taskSid: WT, reservationSid: WR, reason: null, at: day(0, 5) }]]);
    const log = [...worker(), ...reservedTask(), ...changed, ...wrapped];
    const oneByOne = await project(schemas[0], log.map((e) => [e]));
    // The task's reservation in an earlier batch, the worker's change in the wrap-up's: its worker is found in SQL, its change in the batch.
    const cut = await project(schemas[1], [log.slice(0, 4), log.slice(4)]);
    expect(cut).toEqual(oneByOne);
    const wrapup = oneByOne.events.find((e) => e.event_type === 'reservation.wrapup');
    expect(wrapup.event_data).toMatchObject({ worker_sid: WK, worker_activity_name: 'Available', task_assignment_status: 'wrapping' });
    expect(oneByOne.events.map((e) => e.event_type).sort()).toEqual([
      'reservation.accepted', 'reservation.created', 'reservation.wrapup', 'task.created', 'task.wrapup', 'worker.activity.update', 'worker.created', 'workflow.entered',
    ]);
  });

  it('keeps 30 days before the UTC day of the newest Event, however the log is cut', async () => {
    const later = stream(`worker:${WK}`, 2, [
      ['WorkerActivityChanged', { workerSid: WK, activity: available, previousActivity: offline, cause: 'api', at: day(30, 1) }],
      ['WorkerActivityChanged', { workerSid: WK, activity: offline, previousActivity: available, cause: 'api', at: day(31, 1) }],
    ]);
    const log = [...worker(), ...reservedTask(), ...later];
    const oneByOne = await project(schemas[0], log.map((e) => [e]));
    expect(await project(schemas[1], [log])).toEqual(oneByOne);
    expect(await project(schemas[1], [log.slice(0, 5), log.slice(5)])).toEqual(oneByOne);
    // Day 0's Events are older than day 31 less 30 days; day 30's are kept, and the facts of everything.
    expect(oneByOne.events.map((e) => new Date(e.event_date).toISOString()).sort()).toEqual([day(30, 1), day(31, 1)]);
    expect(oneByOne.subjects.map((s) => s.sid).sort()).toEqual([WK, WT].sort());
    const last = oneByOne.events.find((e) => new Date(e.event_date).toISOString() === day(31, 1));
    expect(last.event_data._activity_since_ms).toBe(Date.parse(day(30, 1)));
  });

  describe('on a realistic log appended live', () => {
    const schema = uniqueName('rm_ev_live');
    const store = new PostgresEventStore(pool, { schema });
    let logged: StoredEvent[] = [];

    beforeAll(async () => {
      await store.migrate();
      await migrateSchema(pool, schema, readModelMigrations);
      const projector = new ReadModelProjector(schema);
      const log = new RealisticEventLog({ seed: 12, workspaces: 2, queuesPerWorkspace: 2, workersPerWorkspace: 5, tasksInFlight: 8, variety: 0.4 });
      // The history follows the appends as it does live, in batches cut wherever its reads happen to fall.
      const history = new HistoryProjector(pool, store, { batchSize: 97, pollMs: 1 });
      await history.start();
      try {
        for (let d = 0; d < 800; d++) await store.append(log.next(), projector.project);
        expect(await history.settled()).toBe(true);
      } finally {
        await history.stop();
      }
      logged = await store.readAll({ limit: 100_000 });
    });
    afterAll(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}__rebuild" CASCADE`);
    });

    it('holds the rows a replay of the log rebuilds, SIDs included', async () => {
      const live = (await pool.query(`SELECT * FROM "${schema}".rm_events ORDER BY sid`)).rows;
      const rebuild = await rebuildReadModel(pool, store, { batchSize: 333, clock: () => Date.now() });
      expect(rebuild.differences).toEqual([]);
      expect(rebuild.history).toMatchObject({ differences: [], swapped: true, events: logged.filter((e) => HISTORY_EVENT_TYPES.has(e.type)).length });
      expect(await project(schemas[0], [logged])).toEqual({ events: live, subjects: (await pool.query(`SELECT * FROM "${schema}".rm_event_subjects ORDER BY sid`)).rows });
    });

    it('gives each task its Events with the filters\' columns and snake_case data', async () => {
      const rows = (await pool.query(`SELECT * FROM "${schema}".rm_events`)).rows;
      const created = logged.filter((e) => e.type === 'TaskCreated').length;
      expect(rows.filter((r) => r.event_type === 'task.created')).toHaveLength(created);
      expect(rows.filter((r) => r.event_type === 'workflow.entered')).toHaveLength(created);
      expect(rows.filter((r) => r.event_type === 'reservation.created')).toHaveLength(logged.filter((e) => e.type === 'TaskReserved').length);
      for (const row of rows) {
        expect(row.sid).toMatch(/^EV[0-9a-f]{32}$/);
        for (const key of Object.keys(row.event_data)) expect(key).toMatch(/^_?[a-z]+(_[a-z]+)*$/);
        if (row.resource_type === 'reservation') {
          expect(row).toMatchObject({ reservation_sid: row.resource_sid, task_sid: expect.stringMatching(/^WT/), worker_sid: expect.stringMatching(/^WK/) });
          expect(row.event_data).toMatchObject({ worker_name: expect.any(String), task_attributes: expect.any(Object), task_queue_sid: expect.stringMatching(/^WQ/) });
        }
        if (row.event_type.startsWith('task.') || row.event_type.startsWith('workflow.t')) expect(row.workflow_sid).toMatch(/^WW/);
        if (row.actor_type === 'workflow') expect(row.actor_sid).toMatch(/^WW/);
      }
    });
  });
});
