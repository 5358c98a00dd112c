import { withTransaction, type ProjectableEvent } from '@taskrouter/event-store';
import type { Pool } from 'pg';
import type { BatchProjector } from './projection/batch-projector';
import { RememberedFacts, type ReservationFacts } from './projection/reservation-facts';

/**
 * Three stages at once: the next page is read (reader connection) while this one is folded into
 * the current batch (Node), while the batch before is written in a transaction of its own (writer
 * connection). A page is garbage once folded, so memory holds rows, not events. Batches are
 * written strictly one after the other, each on the rows the one before wrote; the fold needs
 * nothing from them, since the replay remembers the reservations and tasks it wrote
 * (RememberedFacts) and the tables beside were empty when it started.
 *
 * `onBatch` hears the events projected so far, as `countOf` counts them (default: all read).
 */
export async function projectPipelined(
  pool: Pool,
  readPage: (limit: number) => Promise<ProjectableEvent[]>,
  projector: BatchProjector,
  sizes: { batch: number; page: number },
  onBatch: (projected: number) => Promise<void>,
  options: { countOf?: (page: readonly ProjectableEvent[]) => number; facts?: ReservationFacts } = {},
): Promise<number> {
  const facts = options.facts ?? new RememberedFacts();
  const countOf = options.countOf ?? ((page: readonly ProjectableEvent[]) => page.length);
  const pageSize = Math.min(sizes.batch, sizes.page);
  let projected = 0;
  let counted = 0;
  let writing: Promise<void> = Promise.resolve();
  const newFold = () => {
    const previous = writing;
    // Asked only when `facts` cannot answer, and only once every earlier batch is written.
    return projector.fold(async (query) => {
      await previous;
      return pool.query(query);
    }, facts);
  };
  let fold = newFold();
  // The first batches are small, so the writer starts early instead of waiting for a full batch.
  let target = pageSize;
  let page = settled(readPage(pageSize));
  try {
    for (;;) {
      const events = await page;
      if (events.length > 0) {
        page = settled(readPage(pageSize));
        await fold.add(events);
        counted += countOf(events);
      }
      if (fold.events >= target || (events.length === 0 && fold.events > 0)) {
        const prepared = fold.finish();
        const countedNow = counted;
        target = Math.min(sizes.batch, target * 2);
        await writing;
        writing = settled((async () => {
          await withTransaction(pool, (writer) => projector.write(writer, prepared));
          projected = countedNow;
          await onBatch(projected);
        })());
        fold = newFold();
      }
      if (events.length === 0) break;
    }
    await writing;
    return projected;
  } catch (error) {
    // Never leave a write running into the schema the caller is about to drop.
    await writing.catch(() => undefined);
    throw error;
  }
}

/** The same promise, marked as handled until awaited: a failing read ahead must not crash the process before its turn. */
function settled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
