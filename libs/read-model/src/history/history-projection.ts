import type { ProjectableEvent, Transaction } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import { EVENT_TABLES } from '../projection/events-migration';
import { eventsProjection } from '../projection/events-projection';
import type { SideProjection } from '../projection/side-projection';
import { statementRounds } from '../projection/statement-rounds';
import { activitySpellsProjection } from '../statistics/activity-spells-projection';
import { STATISTICS_TABLES } from '../statistics/statistics-migration';
import { taskStatisticsProjection } from '../statistics/task-statistics-projection';

/** What the history projection writes: the Events, the facts they are completed from, and the statistics' counters. */
export const HISTORY_TABLES = [...STATISTICS_TABLES, ...EVENT_TABLES] as const;

/** The statistics first: they, like the Events' insert, read the subjects' facts as the batch found them. */
const PROJECTIONS: readonly SideProjection[] = [taskStatisticsProjection, activitySpellsProjection, eventsProjection];

/** The types any of them reads: the log's other events (a worker's side of a reservation) are read past. */
export const HISTORY_EVENT_TYPES: ReadonlySet<string> = new Set(PROJECTIONS.flatMap((p) => p.eventTypes));

/**
 * The history: what happened rather than what is (TaskRouter's Events and the cumulative
 * statistics). Unlike the current-state tables it is not written in the append's transaction,
 * where it cost a third of routing throughput and most of a replay's time: a projector of its own
 * follows the log in commit order, in batches as large as the log has grown since its last
 * (history-projector.ts), with its checkpoint in the batch's transaction. Its rows depend only
 * on the log and the order of each stream's events, never on where the log is cut into batches,
 * so the same function serves every batch live and in a replay.
 */
export class HistoryProjection {
  constructor(private readonly schema: string, private readonly unreadable: (event: ProjectableEvent, error: unknown) => void = reportUnreadable) {}

  /** A batch's statements, in the order they must run (its reads see the tables as the batch found them). */
  statements(events: readonly ProjectableEvent[]): QueryConfig[] {
    const folds = PROJECTIONS.map((projection) => ({ types: new Set(projection.eventTypes), fold: projection.fold(this.schema) }));
    for (const event of events) {
      for (const { types, fold } of folds) {
        if (!types.has(event.type)) continue;
        // An event the history cannot read (data no schema version gave it) would otherwise stop every
        // later one: it is left out, as every replay leaves it out, and said.
        try {
          fold.add(event);
        } catch (error) {
          this.unreadable(event, error);
        }
      }
    }
    return statementRounds(folds.flatMap(({ fold }) => fold.statements()));
  }

  readonly project = async (tx: Transaction, events: readonly ProjectableEvent[]): Promise<void> => {
    for (const statement of this.statements(events)) await tx.query(statement);
  };

  /** A schema made anew (a replay's beside, a test's) or a new projector: no prune it remembers has happened there. */
  forget(): void {
    eventsProjection.forget(this.schema);
    taskStatisticsProjection.forget(this.schema);
    activitySpellsProjection.forget(this.schema);
  }
}

function reportUnreadable(event: ProjectableEvent, error: unknown): void {
  process.stderr.write(`history projection: left out a ${event.type} (version ${event.streamVersion}) it cannot read: ${String(error)}\n`);
}
