import type { Transaction } from '@taskrouter/event-store';
import type { QueryConfig } from 'pg';
import type { LookUp } from './accepted-reservation-channels';
import type { BatchProjector } from './batch-projector';
import { ProjectionFold, projectionPlan, type PreparedProjection, type ProjectionPlan } from './projection-fold';
import type { ReservationFacts } from './reservation-facts';
import type { ReplayGroup } from './replay-groups';
import { TableStatements } from './table-shape';
import { workerChannelsProjection } from './worker-channels-projection';

/** A `joined` table's statements: none, it is folded only to be read. */
class UnwrittenTable extends TableStatements {
  override statements(): QueryConfig[] {
    return [];
  }
}

/**
 * The replay's projector for one group of tables: the same handlers and statements as
 * ReadModelProjector, over the group's tables only. Its folds always remember what they wrote
 * (a replay's facts), so they never join in SQL.
 */
export class ReplayGroupProjector implements BatchProjector {
  private readonly plan: ProjectionPlan;

  constructor(private readonly schema: string, group: ReplayGroup) {
    const projections = [...group.projections, ...group.joined];
    const statements = [
      ...group.projections.map((p) => new TableStatements(schema, p.shape)),
      ...group.joined.map((p) => new UnwrittenTable(schema, p.shape)),
    ];
    const named = (table: string) => {
      const found = projections.find((p) => p.shape.table === table);
      if (!found) throw new Error(`a replay group needs ${table}, to join to or to write`);
      return found;
    };
    this.plan = projectionPlan(projections, statements, {
      reservations: named('rm_reservations'), tasks: named('rm_tasks'),
      workerChannels: group.projections.includes(workerChannelsProjection) ? workerChannelsProjection : undefined,
    });
  }

  fold(lookUp: LookUp, facts: ReservationFacts): ProjectionFold {
    return new ProjectionFold(this.schema, this.plan, lookUp, facts, false);
  }

  async write(tx: Transaction, batch: PreparedProjection): Promise<void> {
    for (const statement of batch.statements) await tx.query(statement);
  }
}
