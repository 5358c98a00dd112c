import { Pool } from 'pg';
// Test-only use of the testing lib; eslint's boundaries do not yet tell specs from sources.
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { PostgresEventStore, type PostgresEventStoreOptions } from '../postgres-event-store';

/** A migrated store in a schema of its own, so integration specs never see each other's data. */
export interface IsolatedEventStore {
  pool: Pool;
  store: PostgresEventStore;
  schema: string;
  /** Drops the schema and closes the pool. */
  dispose(): Promise<void>;
}

export async function isolatedEventStore(
  options: Omit<PostgresEventStoreOptions, 'schema'> & { poolSize?: number } = {},
): Promise<IsolatedEventStore> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: options.poolSize ?? 10 });
  const schema = uniqueName('es');
  const store = new PostgresEventStore(pool, { ...options, schema });
  await store.migrate();
  return {
    pool,
    store,
    schema,
    dispose: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}
