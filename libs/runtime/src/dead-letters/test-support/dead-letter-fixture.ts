import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { migrateSchema } from '@taskrouter/event-store';
import type { MessagingLogger } from '@taskrouter/messaging';
import { testDatabaseUrl, testKafkaBrokers, uniqueName } from '@taskrouter/testing';
export { Collector } from '@taskrouter/testing';
import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { deadLetterMigrations } from '../dead-letter-migrations';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..', '..');

/** Collects warnings and errors instead of printing them; specs assert on the alarm lines. */
export function collectingLogger(): MessagingLogger & { entries: Parameters<MessagingLogger>[0][] } {
  const entries: Parameters<MessagingLogger>[0][] = [];
  return Object.assign((entry: Parameters<MessagingLogger>[0]) => void entries.push(entry), { entries });
}


/** Polls a condition the specs cannot be called back for (a table's content); fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, condition: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function freshDeadLetterSchema(pool: Pool, prefix: string): Promise<string> {
  const schema = uniqueName(prefix);
  await migrateSchema(pool, schema, deadLetterMigrations);
  return schema;
}

/** The spec's own kafkajs admin: topics with settings (the services' connection creates plain ones). */
export function testAdmin() {
  return new Kafka({ brokers: testKafkaBrokers(), clientId: uniqueName('dl-admin'), logLevel: logLevel.NOTHING }).admin();
}

export async function createTopic(admin: ReturnType<typeof testAdmin>, prefix: string, partitions: number, config: Record<string, string> = {}): Promise<string> {
  const topic = uniqueName(prefix);
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: partitions, configEntries: Object.entries(config).map(([name, value]) => ({ name, value })) }],
  });
  return topic;
}

/** Runs `npm run dead-letters -- <argv>` as an operator would, against the spec's schema. */
export function deadLettersCommand(schema: string, argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['-r', join(REPO_ROOT, 'tools', 'register.js'), join(REPO_ROOT, 'tools', 'dead-letters', 'dead-letters.ts'), ...argv], {
      cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: testDatabaseUrl(), TASKROUTER_SCHEMA: schema }, timeout: 60_000,
    }, (error, stdout, stderr) => resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}
