import type { Pool } from 'pg';
import { withTransaction } from './with-transaction';
import { migrations as allMigrations, type Migration } from './migrations';

/**
 * Brings the schema up to the latest migration. Safe to call from every service at start:
 * the advisory lock makes concurrent callers wait, and the later ones find nothing to do.
 * Everything runs in one transaction, so a failed migration leaves no half-made schema.
 */
export async function migrateSchema(pool: Pool, schema: string, migrations: readonly Migration[] = allMigrations): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('taskrouter-migrations:' || $1, 0))`, [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
        version int PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(schema));
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
    }
  });
}
