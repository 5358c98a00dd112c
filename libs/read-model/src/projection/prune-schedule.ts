export const DAY_MS = 86_400_000;
/** A prune lost with its transaction (a batch tried again without it) is made up within this much time of appends. */
const PRUNE_AT_LEAST_EVERY_MS = 60_000;

/**
 * When a projection of history (the Events, the statistics) prunes its tables in one schema: in
 * the first batch of each newer UTC day it projects, and at least once a minute of appends
 * besides, down to `cutoffOf` that day. Together with rows older than the batch's own cutoff never
 * being written, a replay (one batch or many) ends with exactly the rows live appends keep.
 */
export class PruneSchedule {
  private prunedDay = Number.NEGATIVE_INFINITY;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly cutoffOf: (newestMs: number) => number, private readonly clock: () => number = Date.now) {}

  /** Where a batch whose newest event is at `newestMs` prunes to, if it does. */
  pruneCutoff(newestMs: number): number | undefined {
    const day = Math.floor(newestMs / DAY_MS);
    const now = this.clock();
    if (day <= this.prunedDay && now - this.prunedAt < PRUNE_AT_LEAST_EVERY_MS) return undefined;
    this.prunedDay = Math.max(day, this.prunedDay);
    this.prunedAt = now;
    return this.cutoffOf(this.prunedDay * DAY_MS);
  }
}
