import { PostgresEventStore, migrateSchema } from '@taskrouter/event-store';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { HISTORY_TABLES } from './history-projection';
import { HISTORY_PROJECTION_NAME, HistoryProjector } from './history-projector';
import { readModelMigrations } from '../read-model-migrations';
import { ReadModelProjector } from '../read-model-projector';
import { readModelSnapshot } from '../read-model-rebuild';
import { wholeReadModel } from '../test-support/whole-read-model';

/**
 * A deployment whose appends projected the history themselves (before migration 1140) keeps it:
 * the history's checkpoint starts at the log's head and the tasks' facts get their queue-entry
 * time, so the projector goes on from there exactly as if it had projected everything itself.
 */
describe('migration 1140 on a deployment that projected the history in its appends', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
  const upgraded = uniqueName('rm_hist_upg');
  const fresh = uniqueName('rm_hist_new');

  afterAll(async () => {
    for (const schema of [upgraded, fresh]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('starts the history at the head, and the projector then leaves what projecting the whole log leaves', async () => {
    const before = readModelMigrations.filter((migration) => migration.version < 1140);
    const stores = [upgraded, fresh].map((schema) => new PostgresEventStore(pool, { schema }));
    for (const store of stores) await store.migrate();
    await migrateSchema(pool, upgraded, before);
    await migrateSchema(pool, fresh, readModelMigrations);
    // The same log in both; the old deployment's appends project the history too, as before this version.
    const logs = [1, 2].map(() => new RealisticEventLog({ seed: 41, workspaces: 1, queuesPerWorkspace: 2, workersPerWorkspace: 4, tasksInFlight: 5, variety: 0.2 }));
    const inAppend = wholeReadModel(upgraded);
    for (let d = 0; d < 150; d++) await stores[0].append(logs[0].next(), (tx, events) => inAppend(tx, events));
    await pool.query(`UPDATE "${upgraded}".rm_event_subjects SET facts = facts - '_queue_entered_ms'`);
    await migrateSchema(pool, upgraded, readModelMigrations);
    const { rows: [head] } = await pool.query(
      `SELECT transaction_id::text AS "transactionId", position::text AS position FROM "${upgraded}".events ORDER BY transaction_id DESC, position DESC LIMIT 1`,
    );
    expect(await stores[0].loadCheckpoint(HISTORY_PROJECTION_NAME)).toEqual(head);

    // The new deployment's appends project only the current state: its projector projects the whole log.
    const current = [upgraded, fresh].map((schema) => new ReadModelProjector(schema));
    for (let d = 0; d < 150; d++) await stores[1].append(logs[1].next(), current[1].project);
    // Both go on live with the projector: later events' statistics read the facts the migration completed.
    const projectors = stores.map((store) => new HistoryProjector(pool, store, { pollMs: 1, log: () => undefined }));
    await Promise.all(projectors.map((p) => p.start()));
    try {
      for (let d = 0; d < 150; d++) {
        await stores[0].append(logs[0].next(), current[0].project);
        await stores[1].append(logs[1].next(), current[1].project);
      }
      for (const projector of projectors) expect(await projector.settled()).toBe(true);
    } finally {
      await Promise.all(projectors.map((p) => p.stop()));
    }
    const statistics = ['rm_stats_minutes', 'rm_stats_waits', 'rm_stats_activity_spells'];
    expect(HISTORY_TABLES).toEqual(expect.arrayContaining(statistics));
    expect(await readModelSnapshot(pool, upgraded, statistics)).toEqual(await readModelSnapshot(pool, fresh, statistics));
  });
});
