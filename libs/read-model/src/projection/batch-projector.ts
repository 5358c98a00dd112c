import type { Transaction } from '@taskrouter/event-store';
import type { LookUp } from './accepted-reservation-channels';
import type { PreparedProjection, ProjectionFold } from './projection-fold';
import type { ReservationFacts } from './reservation-facts';

/** What a pipelined replay needs of a projector: batches to fold, and how to write one. */
export interface BatchProjector {
  fold(lookUp: LookUp, facts: ReservationFacts): ProjectionFold;
  write(tx: Transaction, batch: PreparedProjection): Promise<void>;
}
