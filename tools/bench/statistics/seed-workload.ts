import type { GlobalCheckpoint, PostgresEventStore, Projector, StreamAppend } from '@taskrouter/event-store';
import { reportProgress } from '../support/bench-results';

/**
 * Decisions per transaction. The services' batches are smaller; larger ones write the seed faster
 * until the event store's stream-head statement, which grows with the square of the streams in
 * one call, takes over (docs/performance.md, "Replay").
 */
const DECISIONS_PER_BATCH = 1_000;

/** Transactions between two calls of `maintenance` (ANALYZE, as autovacuum would do while a live system grows). */
const MAINTENANCE_EVERY = 100;

export interface SeedResult {
  readonly events: number;
  readonly decisions: number;
  readonly transactions: number;
  readonly ms: number;
  /** The newest event's place in the log, for the relay to start after it. */
  readonly last: GlobalCheckpoint | null;
}

/**
 * Appends the decisions through the event store's batched append, with the read model projected
 * in the same transaction by `project`, exactly as the services' batches do (`appendBatch`:
 * decisions on the same stream chain within one transaction). The next batch is put together
 * while the previous one commits. Every decision must commit: the simulation decided them on the
 * states it appended, so a refusal is a bug in the benchmark. `maintenance` runs between transactions
 * now and then: the tables grow from nothing to 100,000s of rows within minutes, faster than
 * autovacuum analyses them, and plans made on empty tables get slower with every batch.
 */
/** Commit order: transaction id, then position. */
function later(a: GlobalCheckpoint, b: GlobalCheckpoint): boolean {
  const [ta, tb] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  return ta > tb || (ta === tb && BigInt(a.position) > BigInt(b.position));
}

export async function seedWorkload(
  store: PostgresEventStore, project: Projector, decisions: Iterable<StreamAppend[]>, expectedEvents: number, maintenance?: () => Promise<void>,
): Promise<SeedResult> {
  const started = performance.now();
  let events = 0;
  let count = 0;
  let transactions = 0;
  let last: GlobalCheckpoint | null = null;
  let committing: Promise<void> = Promise.resolve();
  let lastReport = 0;
  const commit = async (batch: Array<{ appends: StreamAppend[] }>) => {
    const outcomes = await store.appendBatch(batch, project);
    for (const outcome of outcomes) {
      if (!outcome.committed) throw new Error(`a seeded decision was refused: ${outcome.error.message}`);
      const tail = outcome.events[outcome.events.length - 1];
      if (tail && (last === null || later(tail, last))) last = { transactionId: tail.transactionId, position: tail.position };
    }
  };
  let batch: Array<{ appends: StreamAppend[] }> = [];
  for (const appends of decisions) {
    batch.push({ appends });
    count++;
    for (const append of appends) events += append.events.length;
    if (batch.length < DECISIONS_PER_BATCH) continue;
    await committing;
    if (maintenance && transactions > 0 && transactions % MAINTENANCE_EVERY === 0) await maintenance();
    committing = commit(batch);
    batch = [];
    transactions++;
    const now = performance.now();
    if (now - lastReport > 500) {
      lastReport = now;
      reportProgress('seeding   ', events, Math.max(events, expectedEvents), `${Math.round((events / (now - started)) * 1000).toLocaleString('en')} events/s`);
    }
  }
  await committing;
  if (batch.length > 0) {
    await commit(batch);
    transactions++;
  }
  reportProgress('seeding   ', events, events, `${Math.round((events / (performance.now() - started)) * 1000).toLocaleString('en')} events/s`);
  if (process.stderr.isTTY) process.stderr.write('\n');
  return { events, decisions: count, transactions, ms: performance.now() - started, last };
}
