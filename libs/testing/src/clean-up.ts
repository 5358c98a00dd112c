import Redis from 'ioredis';
import { Pool } from 'pg';
import { testDatabaseUrl, testRedisUrl } from './test-infrastructure';

/**
 * Removes what one spec's stack left behind: its Postgres schema and its Redis keys (the
 * services use the topic prefix as their key prefix). Specs on a shared machine must not
 * accumulate schemas run after run.
 */
export async function cleanUpTestStack(name: string): Promise<void> {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS "${name.replace(/"/g, '')}" CASCADE`);
  } finally {
    await pool.end();
  }
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${name}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
