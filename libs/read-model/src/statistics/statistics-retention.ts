import { STATISTICS_HISTORY_MINUTES } from '@taskrouter/contract';
import { DAY_MS, PruneSchedule } from '../projection/prune-schedule';

export { PruneSchedule };

/**
 * The oldest instant the statistics keep once an event of `newestMs`'s UTC day is projected: 30
 * days (their documented history) before that day began, so retention moves a UTC day at a time,
 * as the Events' does (events-projection.ts).
 */
export function statisticsCutoff(newestMs: number): number {
  return Math.floor(newestMs / DAY_MS) * DAY_MS - STATISTICS_HISTORY_MINUTES * 60_000;
}

/** A projection's schedules, one per schema (a process projects one schema, a test or a replay several). */
export class PruneSchedules {
  private readonly bySchema = new Map<string, PruneSchedule>();

  of(schema: string): PruneSchedule {
    let schedule = this.bySchema.get(schema);
    if (!schedule) this.bySchema.set(schema, (schedule = new PruneSchedule(statisticsCutoff)));
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
