import { PostgresEventStore, migrateSchema, type GlobalCheckpoint, type StoredEvent } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { readModelMigrations } from './read-model-migrations';
import { ReadModelProjector } from './read-model-projector';
import { rebuildReadModel } from './read-model-rebuild';

describe('rebuilding the read model beside the live one', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const schema = uniqueName('rm_rebuild');
  const store = new PostgresEventStore(pool, { schema });
  const projector = new ReadModelProjector(schema);
  let created = 0;

  const createWorkspace = () => {
    const sid = `WS${(++created).toString(16).padStart(32, '0')}`;
    const data = {
      workspaceSid: sid, accountSid: 'AC00000000000000000000000000000001', friendlyName: `ws${created}`, defaultActivitySid: 'WA1', timeoutActivitySid: 'WA2',
      eventCallbackUrl: null, eventsFilter: null, multiTaskEnabled: false, prioritizeQueueOrder: 'FIFO', at: new Date(Date.UTC(2026, 0, 1, 0, 0, created)).toISOString(),
    };
    return store.append([{ streamId: `workspace:${sid}`, expectedVersion: 0, events: [{ type: 'WorkspaceCreated', data }] }], projector.project);
  };
  const liveCount = async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".rm_workspaces`)).rows[0].n;

  beforeAll(async () => {
    await store.migrate();
    await migrateSchema(pool, schema, readModelMigrations);
    for (let i = 0; i < 20; i++) await createWorkspace();
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}__rebuild" CASCADE`);
    await pool.end();
  });

  it('lets the log be read while it rebuilds, and swaps in what committed meanwhile', async () => {
    const everything = await store.readAll({ limit: 1000 });
    const last: GlobalCheckpoint = everything[everything.length - 1];
    let seenDuringRebuild: StoredEvent[] = [];
    const result = await rebuildReadModel(pool, store, {
      batchSize: 5,
      clock: () => Date.now(),
      onProgress: async ({ events }) => {
        if (events !== 5) return;
        await createWorkspace();
        // A reader of the log (the relay) must see it now, not after the rebuild.
        for (let i = 0; i < 100 && seenDuringRebuild.length === 0; i++) {
          seenDuringRebuild = await store.readAll({ after: last, limit: 10 });
          if (seenDuringRebuild.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
    });
    expect(seenDuringRebuild.map((e) => e.type)).toEqual(['WorkspaceCreated']);
    expect(result).toMatchObject({ differences: [], swapped: true, caughtUp: 1, events: 21 });
    expect(await liveCount()).toBe(21);
  });

  it('never closes a lock cycle with an append that writes the tables in another order', async () => {
    // An appender inserts its events, writes one table late in the swap's order, pauses until the
    // swap waits on a lock, then writes a table early in that order.
    const appender = await pool.connect();
    try {
      await appender.query('BEGIN');
      await store.appendWithin(appender, [{ streamId: 'workspace:locks', expectedVersion: 0, events: [{ type: 'Unprojected', data: {} }] }]);
      await appender.query(`UPDATE "${schema}".rm_reservations SET sid = sid WHERE false`);
      const rebuild = rebuildReadModel(pool, store, { clock: () => Date.now() });
      for (let i = 0; ; i++) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%' AND query LIKE $1`, [`%${schema}%`]);
        if (rows[0].n > 0) break;
        if (i > 500) throw new Error('the swap never waited for the appender');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await appender.query(`UPDATE "${schema}".rm_workspaces SET friendly_name = friendly_name WHERE false`);
      await appender.query('COMMIT');
      await expect(rebuild).resolves.toMatchObject({ swapped: true, caughtUp: 1 });
    } finally {
      appender.release();
    }
  });

  it('leaves damaged live tables alone unless told to repair them', async () => {
    await pool.query(`UPDATE "${schema}".rm_workspaces SET friendly_name = 'damaged' WHERE sid = (SELECT min(sid) FROM "${schema}".rm_workspaces)`);
    const refused = await rebuildReadModel(pool, store, { clock: () => Date.now() });
    expect(refused.swapped).toBe(false);
    expect(refused.differences.map((d) => d.table)).toEqual(['rm_workspaces']);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".rm_workspaces WHERE friendly_name = 'damaged'`)).rows[0].n).toBe(1);

    const repaired = await rebuildReadModel(pool, store, { clock: () => Date.now(), repair: true });
    expect(repaired.swapped).toBe(true);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".rm_workspaces WHERE friendly_name = 'damaged'`)).rows[0].n).toBe(0);
    expect(await liveCount()).toBe(21);
  });
});
