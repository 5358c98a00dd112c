import type { PostgresEventStore } from '@taskrouter/event-store';
import { HistoryProjector } from '@taskrouter/read-model';
import type { Pool } from 'pg';

/**
 * Runs the history projector until it holds the whole log, as the running task-ingest's would
 * (its checkpoint kept in the schema), and says how long that took: a benchmark's seed is then
 * measured with its Events and statistics in place.
 */
export async function catchUpHistory(pool: Pool, store: PostgresEventStore): Promise<{ ms: number }> {
  const started = performance.now();
  const history = new HistoryProjector(pool, store, { settleTimeoutMs: 3_600_000, log: (line) => console.error(line) });
  await history.start();
  try {
    if (!(await history.settled())) throw new Error('the history projector did not catch up with the log');
  } finally {
    await history.stop();
  }
  return { ms: performance.now() - started };
}
