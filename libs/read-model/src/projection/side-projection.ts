import type { ProjectableEvent } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';

/**
 * A projection that is not one table's rows folded by key (TableProjection) but statements of
 * its own: the statistics' counters, which are upserted as sums and join the tables as they
 * stood before the batch. Its statements run before every table's (a batch's first round), so
 * the rows it joins are those its events found, and what it needs of rows the batch itself
 * wrote it learns from the batch's events, in order.
 */
export interface SideProjection {
  /** The event types it reads: a replay group folds it only where it reads these. */
  readonly eventTypes: readonly string[];
  fold(schema: string): SideFold;
}

/** One batch of a side projection: events added in log order, then its statements. */
export interface SideFold {
  add(event: ProjectableEvent): void;
  statements(): QueryConfig[];
}
