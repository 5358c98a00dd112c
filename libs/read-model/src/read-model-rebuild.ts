import { availableParallelism } from 'node:os';
import { migrateSchema, withTransaction, type GlobalCheckpoint, type PostgresEventStore, type StoredEvent, type Transaction } from '@taskrouter/event-store';
import type { Pool, PoolClient } from 'pg';
import { CURRENT_STATE_TABLES, READ_MODEL_TABLES, readModelMigrations } from './read-model-migrations';
import { copyDifferences, tableDifferences, tableDigests, type Queryable, type TableDifference, type TableDigests } from './rebuild-tables';
import { rebuildHistory, type HistoryRebuild } from './history/history-rebuild';
import { projectPipelined } from './projected-pipeline';
import { ReplayGroupProjector } from './projection/replay-group-projector';
import { REPLAY_GROUPS, typesLeftOut } from './projection/replay-groups';
import { NOTHING_JOINED } from './projection/reservation-facts';
import { ReadModelProjector } from './read-model-projector';
import { connectionOf, startWorkersGroupThread } from './workers-group-thread';

export interface RebuildProgress {
  readonly events: number;
  readonly elapsedMs: number;
}

export interface ReadModelRebuild extends RebuildProgress {
  /** Empty when the rebuilt tables equal the live ones in the same snapshot of the log. */
  readonly differences: TableDifference[];
  /** Whether the live tables now hold the rebuilt rows. */
  readonly swapped: boolean;
  /** Events committed during the rebuild, projected onto the rebuilt tables before the swap. */
  readonly caughtUp: number;
  /** The history's own rebuild (history/history-rebuild.ts), after the current state's, at the history's own checkpoint. */
  readonly history: HistoryRebuild;
}

/**
 * Events per batch projected (folded in memory, written in one transaction). Larger batches
 * leave fewer rows to update again in the next (100,000: 10% less Node and a third less Postgres
 * time than 25,000); at 200,000 the pipeline took longer to fill and drain than it saved.
 */
export const REBUILD_BATCH_SIZE = 100_000;

/** Events per page read: a page is folded and dropped while the next is read (10,000: 10% more Node time). */
export const REBUILD_PAGE_SIZE = 25_000;

/** Every current-state table's rows in a stable order: what "the live state" means for comparison. */
export async function readModelSnapshot(db: Queryable, schema: string, tables: readonly string[] = CURRENT_STATE_TABLES): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of tables) {
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
 *    events it sees, read through a cursor as a projection needs them (openProjectableCursor:
 *    no metadata, no checkpoints), are projected into a schema of their own in short transactions of their own:
 *    nothing holds a transaction id for the length of the rebuild, which would hold every reader
 *    of the log (relay, catch-up) back until it ended. Reading, folding and writing overlap
 *    (projectPipelined), into scratch tables (asScratchTables). A second transaction imports the same snapshot to read
 *    the live tables: both sides stop at the same commit, so appends going on meanwhile cause no
 *    false difference. Each side is compared by a digest of its rows computed in Postgres; only
 *    a table whose digests differ is read into memory, to name its first differing row.
 * 2. If they differ, nothing live is touched (unless `repair`, for tables known to be damaged).
 * 3. The swap first locks the events table against appends (an append inserts its events before
 *    it projects, so locking events first can never close a cycle with an appender holding a
 *    read-model table), projects what committed since the snapshot onto the rebuilt tables, and
 *    makes the live rows the rebuilt ones, in one transaction: in a table whose digests differ,
 *    rows that differ are deleted and the rebuilt rows missing live inserted, so a verified
 *    rebuild writes nothing while appends wait. Readers go on throughout; an append waits for
 *    the swap and projects onto the swapped tables after.
 */
export async function rebuildReadModel(
  pool: Pool,
  eventStore: PostgresEventStore,
  options: {
    repair?: boolean; batchSize?: number; onProgress?: (progress: RebuildProgress) => void | Promise<void>; clock: () => number;
    /** The history's rebuild, after the current state's: events projected beside so far. */
    onHistoryProgress?: (progress: RebuildProgress) => void | Promise<void>;
    /** Fold the workers' tables on a thread of their own; by default, where the log is long enough and there are cores to gain from it (foldsInThreads). */
    threads?: boolean;
  },
): Promise<ReadModelRebuild> {
  const started = options.clock();
  const live = eventStore.schema;
  const beside = `${live}__rebuild`;
  if (beside.length > 63) throw new Error(`schema name ${live} is too long to rebuild beside (${beside} exceeds 63 bytes)`);
  const batchSize = options.batchSize ?? REBUILD_BATCH_SIZE;
  const projector = new ReadModelProjector(beside);
  await pool.query(`DROP SCHEMA IF EXISTS "${beside}" CASCADE`);
  await migrateSchema(pool, beside, readModelMigrations);
  try {
    await asScratchTables(pool, beside);
    let events = 0;
    let rebuiltDigests: TableDigests = {};
    const { snapshot, differences } = await withTransaction(pool, async (reader) => {
      const { rows } = await reader.query<{ exported: string; snapshot: string }>(
        'SELECT pg_export_snapshot() AS exported, pg_current_snapshot()::text AS snapshot',
      );
      const sizes = { batch: batchSize, page: REBUILD_PAGE_SIZE };
      const report = (projected: number) => options.onProgress?.({ events: projected, elapsedMs: options.clock() - started });
      events = (options.threads ?? (await foldsInThreads(pool, eventStore)))
        ? await projectInTwoThreads(pool, reader, eventStore, { beside, snapshot: rows[0].exported, sizes }, report)
        : await projectOnThisThread(pool, reader, eventStore, projector, sizes, report);
      const differences = await withTransaction(pool, async (tx) => {
        await tx.query(`SET TRANSACTION SNAPSHOT '${rows[0].exported.replace(/'/g, '')}'`);
        const [rebuilt, liveDigests] = await Promise.all([tableDigests(pool, beside, CURRENT_STATE_TABLES), tableDigests(tx, live, CURRENT_STATE_TABLES)]);
        rebuiltDigests = rebuilt;
        return tableDifferences({ db: tx, schema: live, digests: liveDigests }, { db: pool, schema: beside, digests: rebuilt }, CURRENT_STATE_TABLES);
      }, { isolation: 'REPEATABLE READ', readOnly: true });
      return { snapshot: rows[0].snapshot, differences };
    }, { isolation: 'REPEATABLE READ', readOnly: true });
    const history = () => rebuildHistory(pool, eventStore, beside, {
      repair: options.repair, clock: options.clock, onProgress: (projected) => options.onHistoryProgress?.({ events: projected, elapsedMs: options.clock() - started }),
    });
    if (differences.length > 0 && !options.repair) return { events, elapsedMs: options.clock() - started, differences, swapped: false, caughtUp: 0, history: await history() };
    const caughtUp = await withTransaction(pool, async (tx) => {
      await tx.query(`LOCK TABLE "${live}".events IN SHARE ROW EXCLUSIVE MODE`);
      await tx.query(`LOCK TABLE ${CURRENT_STATE_TABLES.map((t) => `"${live}".${t}`).join(', ')} IN EXCLUSIVE MODE`);
      const late = await projectAll(tx, eventStore, projector, { batchSize, notVisibleIn: snapshot });
      // What committed since the snapshot went through the same projection on both sides, so a
      // verified table is usually still equal: only a table whose digests now differ is written.
      // Only the catch-up writes beside: without late events its digests still stand.
      await copyDifferences(tx, live, beside, CURRENT_STATE_TABLES, late === 0 ? rebuiltDigests : undefined);
      return late;
    });
    const elapsedMs = options.clock() - started;
    return { events: events + caughtUp, elapsedMs, differences, swapped: true, caughtUp, history: await history() };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${beside}" CASCADE`);
  }
}

/** The whole projection folded here, on the reader's snapshot. */
async function projectOnThisThread(
  pool: Pool, reader: PoolClient, eventStore: PostgresEventStore, projector: ReadModelProjector,
  sizes: { batch: number; page: number }, report: (projected: number) => void | Promise<void>,
): Promise<number> {
  const cursor = await eventStore.openProjectableCursor(reader);
  const events = await projectPipelined(pool, (limit) => cursor.read(limit), projector, sizes, async (projected) => {
    await report(projected);
  });
  await cursor.close();
  return events;
}

/**
 * The replay's Node work split over two threads (REPLAY_GROUPS): the workers' tables fold on a
 * worker thread, which reads their event types in the same exported snapshot, while this thread
 * folds the others, reading every other type. Each writes its own tables beside, on connections
 * of its own. Progress is the sum of both, each counting the events of the types it writes.
 */
async function projectInTwoThreads(
  pool: Pool, reader: PoolClient, eventStore: PostgresEventStore, context: { beside: string; snapshot: string; sizes: { batch: number; page: number } },
  report: (projected: number) => void | Promise<void>,
): Promise<number> {
  let here = 0;
  let there = 0;
  const thread = startWorkersGroupThread(
    { connection: connectionOf(pool), liveSchema: eventStore.schema, besideSchema: context.beside, snapshot: context.snapshot, sizes: context.sizes },
    (projected) => {
      there = projected;
      // Heard between this thread's own batches: a failing report must not become an unhandled rejection.
      Promise.resolve(report(here + there)).catch(() => undefined);
    },
  );
  try {
    const cursor = await eventStore.openProjectableCursor(reader, { exceptTypes: typesLeftOut([REPLAY_GROUPS.workers]) });
    here = await projectPipelined(pool, (limit) => cursor.read(limit), new ReplayGroupProjector(context.beside, REPLAY_GROUPS.tasks), context.sizes, async (projected) => {
      here = projected;
      await report(here + there);
    }, { facts: NOTHING_JOINED });
    await cursor.close();
    there = await thread.finished;
  } catch (error) {
    await thread.stop();
    throw error;
  }
  await report(here + there);
  return here + there;
}

/**
 * Two threads pay when there is much to fold and cores to fold it on, unless upcasters are
 * registered (functions, which cannot cross to a thread), or the log is so long that the
 * workers' thread could not keep every reservation's task in memory (its joins must never ask
 * the tables the other thread writes).
 */
async function foldsInThreads(pool: Pool, eventStore: PostgresEventStore): Promise<boolean> {
  if (eventStore.upcastsOnRead || availableParallelism() < THREADS_FROM_CORES) return false;
  // The highest position is read from an index at once; counting the log would cost a scan of it.
  const { rows } = await pool.query<{ n: string }>(`SELECT coalesce(max(position), 0)::text AS n FROM "${eventStore.schema}".events`);
  const size = Number(rows[0].n);
  return size >= THREADS_FROM_EVENTS && size <= THREADS_UP_TO_EVENTS;
}

/**
 * Two threads cost more CPU than one (both scan the log, the workers' thread reads the reservations'
 * and tasks' events again for its joins: about 1.5 µs per event more, Node and Postgres together).
 * On 2 cores shared with Postgres that is all the second thread wins (docs/performance.md, "Replay"):
 * it pays where a core is left for it.
 */
export const THREADS_FROM_CORES = 4;

/** Below this many events, starting a thread (and compiling its code) costs more than it saves. */
export const THREADS_FROM_EVENTS = 100_000;

/** Above this many, one thread replays: the other would hold about 2,500,000 reservations and tasks in memory (some 400 MB). */
export const THREADS_UP_TO_EVENTS = 20_000_000;

/**
 * The tables beside are scratch until the swap copies what differs: a crash only means rebuilding
 * again, so they skip the write-ahead log, and they keep only their unique indexes (which find
 * the rows updates name and fail a duplicate as one event at a time would).
 */
async function asScratchTables(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = ANY($2::text[]) AND indexdef NOT LIKE 'CREATE UNIQUE %'`,
    [schema, READ_MODEL_TABLES],
  );
  for (const { indexname } of rows) await pool.query(`DROP INDEX "${schema}"."${indexname.replace(/"/g, '')}"`);
  for (const table of READ_MODEL_TABLES) await pool.query(`ALTER TABLE "${schema}".${table} SET UNLOGGED`);
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
