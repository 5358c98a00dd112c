import { Registry } from 'prom-client';
import { HotCounter } from './hot-counter';
import { LATENCY_BUCKETS_SECONDS, LatencyHistogram } from './latency-histogram';

/** From a reservation made at once to one made after minutes of waiting. */
export const WAIT_BUCKETS_SECONDS: readonly number[] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** How a reservation event reads as the `outcome` label of taskrouter_reservations_total. */
const RESERVATION_OUTCOMES: Readonly<Record<string, string>> = {
  TaskReserved: 'created', ReservationAccepted: 'accepted', ReservationRejected: 'rejected', ReservationTimedOut: 'timed_out', ReservationCanceled: 'canceled',
};

/**
 * The metrics the hot paths update, each an in-memory addition (HotCounter, LatencyHistogram),
 * in one registry per process. The metrics read at scrape time (lag, relay, dead letters,
 * consumed records) are added to the same registry by startOperations.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly eventsAppended = new HotCounter(this.registry, 'taskrouter_events_appended_total', 'Events this process appended to the log, by event type', ['type']);
  readonly reservations = new HotCounter(this.registry, 'taskrouter_reservations_total', 'Reservation changes this process appended, by outcome (created, accepted, rejected, timed_out, canceled)', ['outcome']);
  readonly decisions = new HotCounter(this.registry, 'taskrouter_decisions_total', 'Decisions run by this process, by kind and outcome (committed, unchanged, refused, conflict)', ['kind', 'outcome']);
  readonly webhookDeliveries = new HotCounter(this.registry, 'taskrouter_webhook_deliveries_total', 'Outgoing callbacks by kind (assignment, event) and outcome', ['kind', 'outcome']);
  readonly creationToReservation = new LatencyHistogram(this.registry, 'taskrouter_task_creation_to_reservation_seconds', 'From TaskCreated to the TaskReserved that this matcher appended', undefined, WAIT_BUCKETS_SECONDS);
  readonly postgresQueries = new LatencyHistogram(this.registry, 'taskrouter_postgres_query_seconds', 'Postgres queries of the service pool, from send to answer', undefined, LATENCY_BUCKETS_SECONDS);
  readonly redisCommands = new LatencyHistogram(this.registry, 'taskrouter_redis_command_seconds', 'Redis commands, from send to answer, by command', 'command', LATENCY_BUCKETS_SECONDS);

  /** Counts what an append committed; called with every committed batch (PostgresEventStore.onCommittedHere). */
  readonly countAppended = (events: readonly { readonly type: string; readonly data: Record<string, unknown> }[]): void => {
    for (const event of events) {
      this.eventsAppended.add(event.type);
      const outcome = RESERVATION_OUTCOMES[event.type];
      if (outcome) this.reservations.add(outcome);
      // A task canceled while reserved cancels its pending reservation with it.
      else if (event.type === 'TaskCanceled' && typeof event.data.reservationSid === 'string') this.reservations.add('canceled');
    }
  };
}

/**
 * The process's metrics. One per process, as prom-client's own default registry is: they are
 * facts of the process, and code that only increments one (a decision, a callback) reaches it
 * without a constructor parameter through every layer. Tests make their own ServiceMetrics.
 */
export const processMetrics = new ServiceMetrics();
