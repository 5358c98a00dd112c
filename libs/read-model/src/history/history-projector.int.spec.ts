import { PostgresEventStore, migrateSchema, withTransaction } from '@taskrouter/event-store';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { readModelMigrations } from '../read-model-migrations';
import { ReadModelProjector } from '../read-model-projector';
import { readModelSnapshot, rebuildReadModel } from '../read-model-rebuild';
import { HISTORY_TABLES, HistoryProjection } from './history-projection';
import { HISTORY_PROJECTION_NAME, HistoryProjector } from './history-projector';

/**
 * The history follows the log after the appends: exactly once (one projector holds the lease, its
 * checkpoint commits with each batch), whoever projects, and whatever stops in between.
 */
describe('the history projector', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 12 });
  const schemas: string[] = [];
  const silent = () => undefined;

  afterAll(async () => {
    for (const schema of schemas) {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}__rebuild" CASCADE`);
    }
    await pool.end();
  });

  async function freshStore(): Promise<{ store: PostgresEventStore; projector: ReadModelProjector; schema: string }> {
    const schema = uniqueName('rm_hist');
    schemas.push(schema);
    const store = new PostgresEventStore(pool, { schema });
    await store.migrate();
    await migrateSchema(pool, schema, readModelMigrations);
    return { store, projector: new ReadModelProjector(schema), schema };
  }

  /** The history of the whole log projected in one batch into a schema of its own: what any projector must leave. */
  async function expectedHistory(store: PostgresEventStore): Promise<Record<string, unknown[]>> {
    const schema = uniqueName('rm_hist_exp');
    schemas.push(schema);
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await migrateSchema(pool, schema, readModelMigrations);
    const history = new HistoryProjection(schema);
    history.forget();
    const events = await store.readAll({ limit: 1_000_000 });
    await withTransaction(pool, (tx) => history.project(tx, events));
    return readModelSnapshot(pool, schema, HISTORY_TABLES);
  }

  it('projects each event once while two processes compete for it and the first one stops halfway', async () => {
    const { store, projector, schema } = await freshStore();
    const log = new RealisticEventLog({ seed: 31, workspaces: 2, queuesPerWorkspace: 2, workersPerWorkspace: 4, tasksInFlight: 6, variety: 0.3 });
    const first = new HistoryProjector(pool, store, { batchSize: 50, pollMs: 1, retryMs: 20, log: silent });
    const second = new HistoryProjector(pool, store, { batchSize: 70, pollMs: 1, retryMs: 20, log: silent });
    await Promise.all([first.start(), second.start()]);
    try {
      for (let d = 0; d < 300; d++) await store.append(log.next(), projector.project);
      // Whichever projects, the other follows the checkpoint: both answer for the same history.
      expect(await first.settled()).toBe(true);
      await first.stop();
      for (let d = 0; d < 300; d++) await store.append(log.next(), projector.project);
      expect(await second.settled()).toBe(true);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const events = await store.readAll({ limit: 1_000_000 });
    const last = events[events.length - 1];
    expect(await store.loadCheckpoint(HISTORY_PROJECTION_NAME)).toEqual({ transactionId: last.transactionId, position: last.position });
    expect(await readModelSnapshot(pool, schema, HISTORY_TABLES)).toEqual(await expectedHistory(store));
  });

  it('waits for the history in a process that does not project, and says when it did not get there in time', async () => {
    const { store, projector } = await freshStore();
    const log = new RealisticEventLog({ seed: 32, workspaces: 1, queuesPerWorkspace: 1, workersPerWorkspace: 2, tasksInFlight: 3, variety: 0 });
    for (let d = 0; d < 40; d++) await store.append(log.next(), projector.project);
    const follower = new HistoryProjector(pool, store, { pollMs: 5, log: silent });
    // The lease held elsewhere: this one only ever follows the checkpoint row.
    const lease = await store.tryAcquireLease(HISTORY_PROJECTION_NAME);
    await follower.start();
    try {
      expect(await follower.reached((await store.readAll({ limit: 1_000 })).at(-1)!, 100)).toBe(false);
      const settling = follower.settled();
      await lease!.release();
      const leader = new HistoryProjector(pool, store, { pollMs: 1, log: silent });
      // Whichever of the two takes the lease now, the follower's wait ends once the history holds the log.
      await leader.start();
      try {
        expect(await settling).toBe(true);
      } finally {
        await leader.stop();
      }
    } finally {
      await follower.stop();
    }
  });

  it('writes no batch over a checkpoint another writer moved, and goes on from where that one left it', async () => {
    const { store, projector, schema } = await freshStore();
    const log = new RealisticEventLog({ seed: 33, workspaces: 1, queuesPerWorkspace: 2, workersPerWorkspace: 3, tasksInFlight: 4, variety: 0.2 });
    for (let d = 0; d < 30; d++) await store.append(log.next(), projector.project);
    const lines: string[] = [];
    const projecting = new HistoryProjector(pool, store, { pollMs: 1, retryMs: 10, log: (line) => lines.push(line) });
    await projecting.start();
    try {
      expect(await projecting.settled()).toBe(true);
      // Another writer (a projector that lost its lease without knowing it) projects the next appends with
      // their own transaction and moves the checkpoint: this one, which knew the checkpoint before them, must not.
      const other = new HistoryProjection(schema);
      for (let d = 0; d < 30; d++) {
        await store.append(log.next(), async (tx, events) => {
          await projector.project(tx, events);
          await other.project(tx, events);
          await store.saveCheckpoint(HISTORY_PROJECTION_NAME, events[events.length - 1], tx);
        });
      }
      expect(await projecting.settled()).toBe(true);
      for (let d = 0; d < 30; d++) await store.append(log.next(), projector.project);
      expect(await projecting.settled()).toBe(true);
    } finally {
      await projecting.stop();
    }
    expect(lines.some((line) => line.includes('checkpoint moved under this projector'))).toBe(true);
    expect(await readModelSnapshot(pool, schema, HISTORY_TABLES)).toEqual(await expectedHistory(store));
  });

  it('is rebuilt at its own checkpoint, told apart when damaged, and repaired while the projector goes on', async () => {
    const { store, projector, schema } = await freshStore();
    const log = new RealisticEventLog({ seed: 34, workspaces: 2, queuesPerWorkspace: 2, workersPerWorkspace: 4, tasksInFlight: 6, variety: 0.3 });
    const live = new HistoryProjector(pool, store, { batchSize: 40, pollMs: 1, log: silent });
    await live.start();
    try {
      for (let d = 0; d < 200; d++) await store.append(log.next(), projector.project);
      expect(await live.settled()).toBe(true);
      expect((await rebuildReadModel(pool, store, { clock: () => Date.now() })).history).toMatchObject({ differences: [], swapped: true });

      await pool.query(`DELETE FROM "${schema}".rm_events WHERE sid IN (SELECT sid FROM "${schema}".rm_events ORDER BY sid LIMIT 3)`);
      const refused = await rebuildReadModel(pool, store, { clock: () => Date.now() });
      expect(refused.history.swapped).toBe(false);
      expect(refused.history.differences.map((d) => d.table)).toEqual(['rm_events']);

      // Appends go on during the repair: the projector's batches before and after it add to the repaired tables.
      const appending = (async () => {
        for (let d = 0; d < 100; d++) await store.append(log.next(), projector.project);
      })();
      const repaired = await rebuildReadModel(pool, store, { clock: () => Date.now(), repair: true });
      await appending;
      expect(repaired.history.swapped).toBe(true);
      expect(await live.settled()).toBe(true);
    } finally {
      await live.stop();
    }
    expect(await readModelSnapshot(pool, schema, HISTORY_TABLES)).toEqual(await expectedHistory(store));
  });
});
