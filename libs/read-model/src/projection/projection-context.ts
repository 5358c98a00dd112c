import type { AnyDomainEvent, DomainEventType } from '@taskrouter/domain';
import type { JOINED } from './accepted-reservation-channels';
import type { RowChanges } from './row-changes';
import type { TableShape } from './table-shape';

export type EventData<T extends DomainEventType> = Extract<AnyDomainEvent, { type: T }>['data'];

/** What a table's handlers see of the batch while they fold one event into it. */
export interface ProjectionContext {
  /** The event's stream version (the `version` columns). */
  readonly version: number;
  /**
   * The channel of the task a worker's accepted reservation is for, as a join at this event would
   * find it; undefined if none; JOINED if the batch leaves it to one statement of its own.
   */
  acceptedChannel(workerSid: string, reservationSid: string): string | undefined | typeof JOINED;
}

/** How the events a table shows change its rows. A handler writes to its own table only. */
export type TableHandlers = { readonly [T in DomainEventType]?: (rows: RowChanges, data: EventData<T>, context: ProjectionContext) => void };

/** One current-state table's part of the projection. */
export interface TableProjection {
  readonly shape: TableShape;
  readonly handlers: TableHandlers;
}
