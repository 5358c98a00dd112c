import type { PostgresEventStore, GlobalCheckpoint } from '@taskrouter/event-store';
import type { Pool } from 'pg';
import { READ_MODEL_TABLES } from './read-model-migrations';
import type { ReadModelProjector } from './read-model-projector';

export interface RebuildProgress { readonly events: number; readonly elapsedMs: number }

/** Every current-state table's rows in a stable order: what "the live state" means for comparison. */
export async function readModelSnapshot(pool: Pool, schema: string): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await pool.query(`SELECT * FROM "${schema}".${table} ORDER BY sid`);
    snapshot[table] = rows;
  }
  return snapshot;
}

/**
 * Drops the current-state tables' rows and projects the whole log again, in commit order, in
 * one transaction: readers see the old state until the new one is complete.
 */
export async function rebuildReadModel(
  eventStore: PostgresEventStore,
  projector: ReadModelProjector,
  options: { batchSize?: number; onProgress?: (progress: RebuildProgress) => void; clock: () => number },
): Promise<RebuildProgress> {
  const started = options.clock();
  const batchSize = options.batchSize ?? 5_000;
  let events = 0;
  await eventStore.transaction(async (tx) => {
    await tx.query(`TRUNCATE ${READ_MODEL_TABLES.map((t) => `"${eventStore.schema}".${t}`).join(', ')}`);
    let after: GlobalCheckpoint | null = null;
    for (;;) {
      const batch = await eventStore.readAll({ after, limit: batchSize });
      if (batch.length === 0) break;
      await projector.project(tx, batch);
      events += batch.length;
      const last = batch[batch.length - 1];
      after = { transactionId: last.transactionId, position: last.position };
      options.onProgress?.({ events, elapsedMs: options.clock() - started });
    }
  });
  return { events, elapsedMs: options.clock() - started };
}
