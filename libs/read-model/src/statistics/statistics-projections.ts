import type { SideProjection } from '../projection/side-projection';
import { activitySpellsProjection } from './activity-spells-projection';
import { taskStatisticsProjection } from './task-statistics-projection';

/** The statistics' side projections, in the order their statements run. */
export const STATISTICS_PROJECTIONS: readonly SideProjection[] = [taskStatisticsProjection, activitySpellsProjection];

/** A schema made anew (a replay's beside) or a new projector: no prune of its statistics is remembered. */
export function forgetStatisticsPrunes(schema: string): void {
  taskStatisticsProjection.forget(schema);
  activitySpellsProjection.forget(schema);
}
