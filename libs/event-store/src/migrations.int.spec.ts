import { Pool } from 'pg';
// Test-only use of the testing lib; eslint's boundaries do not yet tell specs from sources.
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { PostgresEventStore } from './postgres-event-store';
import { migrations } from './migrations';

describe('schema migrations', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const schema = uniqueName('es_migrate');

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('applies every migration once when several services start at the same time', async () => {
    const services = Array.from({ length: 6 }, () => new PostgresEventStore(pool, { schema }));

    await Promise.all(services.map((store) => store.migrate()));
    await services[0].migrate();

    const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
    const tables = await pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
    expect(tables.rows.map((row) => row.table_name)).toEqual([
      'checkpoints',
      'consumer_stream_positions',
      'events',
      'schema_migrations',
      'streams',
    ]);
  });
});
