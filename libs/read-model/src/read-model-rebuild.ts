import { migrateSchema, withTransaction, type GlobalCheckpoint, type PostgresEventStore, type StoredEvent, type Transaction } from '@taskrouter/event-store';
import type { Pool, PoolClient } from 'pg';
import { READ_MODEL_TABLES, readModelMigrations } from './read-model-migrations';
import { ReadModelProjector } from './read-model-projector';

export interface RebuildProgress {
  readonly events: number;
  readonly elapsedMs: number;
}

/** One table whose rebuilt rows are not the live ones, with the first row that differs. */
export interface TableDifference {
  readonly table: string;
  readonly liveRows: number;
  readonly rebuiltRows: number;
  readonly firstLive: unknown;
  readonly firstRebuilt: unknown;
}

export interface ReadModelRebuild extends RebuildProgress {
  /** Empty when the rebuilt tables equal the live ones in the same snapshot of the log. */
  readonly differences: TableDifference[];
  /** Whether the live tables now hold the rebuilt rows. */
  readonly swapped: boolean;
  /** Events committed during the rebuild, projected onto the rebuilt tables before the swap. */
  readonly caughtUp: number;
}

type Queryable = Pick<Pool, 'query'> | PoolClient;

/** Every current-state table's rows in a stable order: what "the live state" means for comparison. */
export async function readModelSnapshot(db: Queryable, schema: string): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const { rows } = await db.query(`SELECT * FROM "${schema}".${table} ORDER BY sid`);
    snapshot[table] = rows;
  }
  return snapshot;
}

/**
 * Rebuilds the current-state tables from the log beside the live ones, proves them, and only
 * then swaps them in:
 *
 * 1. One READ ONLY REPEATABLE READ transaction fixes a snapshot of the log and exports it. The
 *    events it sees are projected into a schema of their own in short transactions of their own:
 *    nothing holds a transaction id for the length of the rebuild, which would hold every reader
 *    of the log (relay, catch-up) back until it ended. A second transaction imports the same
 *    snapshot to read the live tables: both sides stop at the same commit, so appends going on
 *    meanwhile cause no false difference.
 * 2. If they differ, nothing live is touched (unless `repair`, for tables known to be damaged).
 * 3. The swap first locks the events table against appends (an append inserts its events before
 *    it projects, so locking events first can never close a cycle with an appender holding a
 *    read-model table), projects what committed since the snapshot onto the rebuilt tables, and
 *    replaces the live rows, in one transaction. Readers go on throughout; an append waits for
 *    the swap and projects onto the swapped tables after.
 */
export async function rebuildReadModel(
  pool: Pool,
  eventStore: PostgresEventStore,
  options: { repair?: boolean; batchSize?: number; onProgress?: (progress: RebuildProgress) => void | Promise<void>; clock: () => number },
): Promise<ReadModelRebuild> {
  const started = options.clock();
  const live = eventStore.schema;
  const beside = `${live}__rebuild`;
  if (beside.length > 63) throw new Error(`schema name ${live} is too long to rebuild beside (${beside} exceeds 63 bytes)`);
  const batchSize = options.batchSize ?? 5_000;
  const projector = new ReadModelProjector(beside);
  await pool.query(`DROP SCHEMA IF EXISTS "${beside}" CASCADE`);
  await migrateSchema(pool, beside, readModelMigrations);
  try {
    let events = 0;
    const { snapshot, liveRows } = await withTransaction(pool, async (reader) => {
      const { rows } = await reader.query<{ exported: string; snapshot: string }>(
        'SELECT pg_export_snapshot() AS exported, pg_current_snapshot()::text AS snapshot',
      );
      let after: GlobalCheckpoint | null = null;
      for (;;) {
        const batch: StoredEvent[] = await eventStore.readAllInSnapshot(reader, { after, limit: batchSize });
        if (batch.length === 0) break;
        await withTransaction(pool, (writer) => projector.project(writer, batch));
        events += batch.length;
        after = batch[batch.length - 1];
        await options.onProgress?.({ events, elapsedMs: options.clock() - started });
      }
      const liveRows = await withTransaction(pool, async (tx) => {
        await tx.query(`SET TRANSACTION SNAPSHOT '${rows[0].exported.replace(/'/g, '')}'`);
        return readModelSnapshot(tx, live);
      }, { isolation: 'REPEATABLE READ', readOnly: true });
      return { snapshot: rows[0].snapshot, liveRows };
    }, { isolation: 'REPEATABLE READ', readOnly: true });
    const differences = compareSnapshots(liveRows, await readModelSnapshot(pool, beside));
    if (differences.length > 0 && !options.repair) return { events, elapsedMs: options.clock() - started, differences, swapped: false, caughtUp: 0 };
    const caughtUp = await withTransaction(pool, async (tx) => {
      await tx.query(`LOCK TABLE "${live}".events IN SHARE ROW EXCLUSIVE MODE`);
      await tx.query(`LOCK TABLE ${READ_MODEL_TABLES.map((t) => `"${live}".${t}`).join(', ')} IN EXCLUSIVE MODE`);
      const late = await projectAll(tx, eventStore, projector, { batchSize, notVisibleIn: snapshot });
      for (const table of READ_MODEL_TABLES) {
        await tx.query(`DELETE FROM "${live}".${table}`);
        await tx.query(`INSERT INTO "${live}".${table} SELECT * FROM "${beside}".${table}`);
      }
      return late;
    });
    return { events: events + caughtUp, elapsedMs: options.clock() - started, differences, swapped: true, caughtUp };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${beside}" CASCADE`);
  }
}

async function projectAll(
  tx: Transaction,
  eventStore: PostgresEventStore,
  projector: ReadModelProjector,
  options: { batchSize: number; notVisibleIn?: string },
  onBatch?: (projected: number) => void,
): Promise<number> {
  // Whatever the snapshot did not see has a transaction id at or above its xmin: start there,
  // so the catch-up under the lock reads the index from that point, not the whole log.
  let after: GlobalCheckpoint | null = options.notVisibleIn ? { transactionId: options.notVisibleIn.split(':')[0], position: '0' } : null;
  let projected = 0;
  for (;;) {
    const batch: StoredEvent[] = await eventStore.readAllInSnapshot(tx, { after, limit: options.batchSize, notVisibleIn: options.notVisibleIn });
    if (batch.length === 0) return projected;
    await projector.project(tx, batch);
    projected += batch.length;
    after = batch[batch.length - 1];
    onBatch?.(projected);
  }
}

function compareSnapshots(live: Record<string, unknown[]>, rebuilt: Record<string, unknown[]>): TableDifference[] {
  const differences: TableDifference[] = [];
  for (const table of READ_MODEL_TABLES) {
    const [a, b] = [live[table], rebuilt[table]];
    const index = firstDifferentRow(a, b);
    if (index < 0) continue;
    differences.push({ table, liveRows: a.length, rebuiltRows: b.length, firstLive: a[index] ?? null, firstRebuilt: b[index] ?? null });
  }
  return differences;
}

function firstDifferentRow(a: unknown[], b: unknown[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) return i;
  return -1;
}
