import { PostgresEventStore, migrateSchema } from '@taskrouter/event-store';
import { RealisticEventLog, testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { readModelMigrations } from './read-model-migrations';
import { ReadModelProjector } from './read-model-projector';
import { rebuildReadModel } from './read-model-rebuild';

/**
 * The replay's two threads (REPLAY_GROUPS) must rebuild exactly what one thread does, and what
 * the live projection left: on a realistic log, cut into many batches, so rows straddle batches
 * and the accept's channel is joined through reservations and tasks of earlier batches.
 */
describe('rebuilding the read model on two threads', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const schema = uniqueName('rm_threads');
  const store = new PostgresEventStore(pool, { schema });
  let logged = 0;

  beforeAll(async () => {
    await store.migrate();
    await migrateSchema(pool, schema, readModelMigrations);
    const projector = new ReadModelProjector(schema);
    const log = new RealisticEventLog({ seed: 7, workspaces: 2, queuesPerWorkspace: 3, workersPerWorkspace: 20, tasksInFlight: 15, variety: 0.1 });
    for (let d = 0; d < 1_200; d++) {
      const appends = log.next();
      await store.append(appends, projector.project);
      logged += appends.reduce((n, a) => n + a.events.length, 0);
    }
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}__rebuild" CASCADE`);
    await pool.end();
  });

  it.each([true, false])('verifies against the live tables (threads: %s), counting every event once', async (threads) => {
    const progress: number[] = [];
    const rebuild = await rebuildReadModel(pool, store, { threads, batchSize: 400, clock: () => Date.now(), onProgress: ({ events }) => void progress.push(events) });

    expect(rebuild).toMatchObject({ differences: [], swapped: true, caughtUp: 0, events: logged });
    expect(Math.max(...progress)).toBe(logged);
  });

  it('finds a damaged table the other thread rebuilds', async () => {
    await pool.query(`UPDATE "${schema}".rm_worker_channels SET assigned_tasks = assigned_tasks + 1 WHERE sid = (SELECT min(sid) FROM "${schema}".rm_worker_channels)`);

    const refused = await rebuildReadModel(pool, store, { threads: true, batchSize: 400, clock: () => Date.now() });
    expect(refused.differences.map((d) => d.table)).toEqual(['rm_worker_channels']);

    const repaired = await rebuildReadModel(pool, store, { threads: true, batchSize: 400, clock: () => Date.now(), repair: true });
    expect(repaired.swapped).toBe(true);
    expect((await rebuildReadModel(pool, store, { threads: true, clock: () => Date.now() })).differences).toEqual([]);
  });
});
