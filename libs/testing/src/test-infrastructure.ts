import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

// Integration and end-to-end specs run against the real services named by the same
// variables the services read; the defaults are this machine's local ones.
export const testDatabaseUrl = (): string =>
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const testRedisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const testKafkaBrokers = (): string[] =>
  (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);

/**
 * A name no other spec (or earlier run) uses: each integration spec gets its own
 * Postgres schema, Kafka topic prefix and Redis key prefix, so specs never see each
 * other's data and can run in parallel.
 */
export const uniqueName = (prefix: string): string =>
  `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();

/** A TCP port nobody listens on right now, chosen by the OS (not at random, which can collide). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
