import type { StoredEvent, Transaction } from '@taskrouter/event-store';
import type { LookUp } from './projection/accepted-reservation-channels';
import { activitiesProjection } from './projection/activities-projection';
import { ProjectionFold, projectionPlan, type PreparedProjection, type ProjectionPlan } from './projection/projection-fold';
import type { TableProjection } from './projection/projection-context';
import { NO_FACTS, type ReservationFacts } from './projection/reservation-facts';
import { reservationsProjection } from './projection/reservations-projection';
import { statementRounds } from './projection/statement-rounds';
import { TableStatements } from './projection/table-shape';
import { taskChannelsProjection } from './projection/task-channels-projection';
import { taskQueuesProjection } from './projection/task-queues-projection';
import { tasksProjection } from './projection/tasks-projection';
import { workerChannelsProjection } from './projection/worker-channels-projection';
import { workersProjection } from './projection/workers-projection';
import { workflowsProjection } from './projection/workflows-projection';
import { workspacesProjection } from './projection/workspaces-projection';

export type { PreparedProjection } from './projection/projection-fold';

const PROJECTIONS: readonly TableProjection[] = [
  workspacesProjection, activitiesProjection, taskChannelsProjection, taskQueuesProjection, workflowsProjection,
  workersProjection, workerChannelsProjection, tasksProjection, reservationsProjection,
];

/**
 * Keeps the current-state tables in step with the log. Runs inside the append's transaction,
 * so a read right after a write sees it (the history, Events and statistics, follows the log on
 * its own: history/history-projector.ts); replay runs the same code over the whole log in large
 * batches. A batch is folded per table and row in memory (projection/row-changes.ts), then
 * written with at most a delete, an update and an insert per table, whatever its size, and
 * the statements of different tables go to Postgres together (statementRounds: usually one
 * round trip per append): replay is bound by reading the log, not by round trips.
 */
export class ReadModelProjector {
  private readonly plan: ProjectionPlan;

  constructor(private readonly schema: string) {
    this.plan = projectionPlan(PROJECTIONS, PROJECTIONS.map((p) => new TableStatements(schema, p.shape)), {
      reservations: reservationsProjection, tasks: tasksProjection, workerChannels: workerChannelsProjection,
    });
  }

  readonly project = async (tx: Transaction, events: StoredEvent[]): Promise<void> => {
    const fold = this.fold((query) => tx.query(query));
    await fold.add(events);
    await this.write(tx, fold.finish());
  };

  /**
   * A batch to fold page by page. `lookUp` is asked only what neither the batch nor `facts` can
   * answer, and must answer as the tables will stand when the batch is written; a replay with
   * RememberedFacts never asks, so it folds a batch while the one before is written.
   */
  fold(lookUp: LookUp, facts: ReservationFacts = NO_FACTS): ProjectionFold {
    return new ProjectionFold(this.schema, this.plan, lookUp, facts, facts === NO_FACTS);
  }

  async write(tx: Transaction, batch: PreparedProjection): Promise<void> {
    for (const statement of statementRounds(batch.statements)) await tx.query(statement);
  }
}
