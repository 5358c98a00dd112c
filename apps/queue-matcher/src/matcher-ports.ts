import type { AvailabilityIndex } from '@taskrouter/availability';
import type { ReadModelQueries } from '@taskrouter/read-model';
import type { QueueMembership } from '@taskrouter/runtime';
import type { AssignmentService } from './assignment.service';
import type { WorkerAvailabilityRefresher } from './worker-availability-refresher';

/** The matcher's collaborators, built once at start (main.ts) and handed to Nest as one value. */
export class MatcherPorts {
  constructor(
    readonly availability: AvailabilityIndex,
    readonly membership: QueueMembership,
    readonly refresher: WorkerAvailabilityRefresher,
    readonly assignment: AssignmentService,
    readonly queries: ReadModelQueries,
  ) {}
}
