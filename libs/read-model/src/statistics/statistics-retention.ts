import { STATISTICS_HISTORY_MINUTES } from '@taskrouter/contract';

const DAY_MS = 86_400_000;
/** A prune lost with its transaction (a batch tried again without it) is made up within this much time of appends. */
const PRUNE_AT_LEAST_EVERY_MS = 60_000;

/**
 * The oldest instant the statistics keep once an event of `newestMs`'s UTC day is projected: 30
 * days (their documented history) before that day began, so retention moves a UTC day at a time,
 * as the Events' does (events-projection.ts).
 */
export function statisticsCutoff(newestMs: number): number {
  return Math.floor(newestMs / DAY_MS) * DAY_MS - STATISTICS_HISTORY_MINUTES * 60_000;
}

/**
 * When one statistics projection prunes its tables in one schema: in the first batch of each
 * newer UTC day it projects, and at least once a minute of appends besides. Together with rows
 * older than the batch's own cutoff never being written, a replay (one batch or many) ends with
 * exactly the rows live appends keep.
 */
export class PruneSchedule {
  private prunedDay = Number.NEGATIVE_INFINITY;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Where a batch whose newest event is at `newestMs` prunes to, if it does. */
  pruneCutoff(newestMs: number): number | undefined {
    const day = Math.floor(newestMs / DAY_MS);
    const now = this.clock();
    if (day <= this.prunedDay && now - this.prunedAt < PRUNE_AT_LEAST_EVERY_MS) return undefined;
    this.prunedDay = Math.max(day, this.prunedDay);
    this.prunedAt = now;
    return statisticsCutoff(this.prunedDay * DAY_MS);
  }
}

/** A projection's schedules, one per schema (a process projects one schema, a test or a replay several). */
export class PruneSchedules {
  private readonly bySchema = new Map<string, PruneSchedule>();

  of(schema: string): PruneSchedule {
    let schedule = this.bySchema.get(schema);
    if (!schedule) this.bySchema.set(schema, (schedule = new PruneSchedule()));
    return schedule;
  }

  /** A schema made anew (a replay's beside): its tables are empty, so no prune remembered has happened there. */
  forget(schema: string): void {
    this.bySchema.delete(schema);
  }
}

/**
 * Deletes `table`'s rows older than the cutoff ($1). Rows another transaction's prune holds are
 * skipped, not waited for: two appends pruning at once never wait on, or deadlock over, the same
 * old rows, and what one skipped the next prune (within a minute) deletes.
 */
export function pruneSql(schema: string, table: string, column: string): string {
  return `DELETE FROM "${schema}".${table} WHERE sid IN (SELECT sid FROM "${schema}".${table} WHERE ${column} < $1::timestamptz FOR UPDATE SKIP LOCKED)`;
}
