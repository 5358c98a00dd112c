import {
  compareCheckpoints, withTransaction, type GlobalCheckpoint, type PostgresEventStore, type ProjectableEvent, type Transaction,
} from '@taskrouter/event-store';
import type { Pool } from 'pg';
import { copyDifferences, tableDifferences, tableDigests, type TableDifference } from '../rebuild-tables';
import { HISTORY_EVENT_TYPES, HISTORY_TABLES, HistoryProjection } from './history-projection';
import { ensureHistoryCheckpoint, historyCheckpoint, LOG_START } from './history-checkpoint';

export interface HistoryRebuild {
  /** Events projected beside: those up to the live checkpoint, and those it moved on by before the swap. */
  readonly events: number;
  readonly elapsedMs: number;
  readonly differences: TableDifference[];
  readonly swapped: boolean;
}

/** Events per page read and projected beside (one transaction each). */
const PAGE = 25_000;

/**
 * Rebuilds the history tables beside the live ones (in `beside`, whose tables are scratch) and
 * proves them, as the current state's rebuild does, at the history's own cut of the log: its
 * checkpoint. One REPEATABLE READ snapshot reads the checkpoint, the log up to it and the live
 * history tables, which in that snapshot hold exactly the events up to it. A swap locks the
 * checkpoint row, which every batch of the live projector locks first (history-projector.ts):
 * the live tables then stand between two batches. What the checkpoint moved on by since is
 * projected beside, and the live rows are made the rebuilt ones; the projector goes on after.
 */
export async function rebuildHistory(
  pool: Pool, eventStore: PostgresEventStore, beside: string,
  options: { repair?: boolean; clock: () => number; onProgress?: (events: number) => void | Promise<void> },
): Promise<HistoryRebuild> {
  const started = options.clock();
  const live = eventStore.schema;
  const projection = new HistoryProjection(beside);
  projection.forget();
  const { events, cut, differences, rebuiltDigests } = await withTransaction(pool, async (reader) => {
    const cut = (await historyCheckpoint(reader, live)) ?? LOG_START;
    const cursor = await eventStore.openProjectableCursor(reader, { types: [...HISTORY_EVENT_TYPES], upTo: cut });
    let events = 0;
    try {
      for (let page = await cursor.read(PAGE); page.length > 0; page = await cursor.read(PAGE)) {
        await withTransaction(pool, (tx) => projection.project(tx, page));
        events += page.length;
        await options.onProgress?.(events);
      }
    } finally {
      await cursor.close();
    }
    const [liveDigests, rebuiltDigests] = await Promise.all([tableDigests(reader, live, HISTORY_TABLES), tableDigests(pool, beside, HISTORY_TABLES)]);
    const differences = await tableDifferences(
      { db: reader, schema: live, digests: liveDigests }, { db: pool, schema: beside, digests: rebuiltDigests }, HISTORY_TABLES,
    );
    return { events, cut, differences, rebuiltDigests };
  }, { isolation: 'REPEATABLE READ', readOnly: true });
  if (differences.length > 0 && !options.repair) return { events, elapsedMs: options.clock() - started, differences, swapped: false };
  const caughtUp = await withTransaction(pool, async (tx) => {
    // A row to lock even where no projector ever started: one starting now waits for the swap.
    await ensureHistoryCheckpoint(tx, live);
    const now = (await historyCheckpoint(tx, live, true)) ?? LOG_START;
    const late = await projectBetween(tx, eventStore, projection, cut, now);
    await copyDifferences(tx, live, beside, HISTORY_TABLES, late === 0 ? rebuiltDigests : undefined);
    return late;
  });
  return { events: events + caughtUp, elapsedMs: options.clock() - started, differences, swapped: true };
}

/** Projects beside the events after `from` up to `to`, all committed (the live projector read them). */
async function projectBetween(
  tx: Transaction, eventStore: PostgresEventStore, projection: HistoryProjection, from: GlobalCheckpoint, to: GlobalCheckpoint,
): Promise<number> {
  let after = from;
  let projected = 0;
  while (compareCheckpoints(after, to) < 0) {
    const batch = await eventStore.readAllInSnapshot(tx, { after, limit: PAGE });
    const upTo = batch.filter((event) => compareCheckpoints(event, to) <= 0);
    if (upTo.length === 0) break;
    await projection.project(tx, upTo as ProjectableEvent[]);
    projected += upTo.length;
    after = upTo[upTo.length - 1];
  }
  return projected;
}
