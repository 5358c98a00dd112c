import { readInfrastructureConfig } from '@taskrouter/config';
import { migrateSchema } from '@taskrouter/event-store';
import { DeadLetterAdmin, deadLetterMigrations } from '@taskrouter/runtime';
import { Pool } from 'pg';
import { runDeadLetters } from './run';

/**
 * `npm run dead-letters -- list|retry|drop`: what the consumers and the relay parked
 * (docs/operations.md, "Dead letters"). Needs only Postgres: `DATABASE_URL`, `TASKROUTER_SCHEMA`.
 */
async function main(): Promise<number> {
  const config = readInfrastructureConfig(process.env);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2, application_name: 'dead-letters' });
  try {
    // A schema no service has started in yet simply has no dead letters.
    await migrateSchema(pool, config.schema, deadLetterMigrations);
    return await runDeadLetters(process.argv.slice(2), new DeadLetterAdmin(pool, config.schema), {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await pool.end();
  }
}

main().then(
  (status) => process.exit(status),
  (error: unknown) => {
    process.stderr.write(`dead-letters: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);
