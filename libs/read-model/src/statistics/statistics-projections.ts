import type { SideProjection } from '../projection/side-projection';
import { activitySpellsProjection } from './activity-spells-projection';
import { taskStatisticsProjection } from './task-statistics-projection';

/** The statistics' side projections, in the order their statements run. */
export const STATISTICS_PROJECTIONS: readonly SideProjection[] = [taskStatisticsProjection, activitySpellsProjection];
