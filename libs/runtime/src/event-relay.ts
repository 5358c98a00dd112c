import { EventPublisher, OutboxRelay, type RelayStatus } from '@taskrouter/messaging';
import type { ServiceInfrastructure } from './service-infrastructure';
import { eventFamilyOf } from './topics';

/** How long an idle relay waits before looking for new events again. */
export const RELAY_POLL_MS = 10;

/** The relay's lease and checkpoint name for a deployment's topic prefix. */
export const eventRelayName = (topicPrefix: string): string => `outbox-relay:${topicPrefix}.events`;

export interface RunningEventRelay {
  status(): RelayStatus;
  stop(): Promise<void>;
}

/**
 * Every service runs a relay from the event log to Kafka; a Postgres lease lets one publish
 * at a time and the others stand by, so stopping any one service stops nothing else.
 */
export async function startEventRelay(infrastructure: ServiceInfrastructure): Promise<RunningEventRelay> {
  const publisher = new EventPublisher(infrastructure.kafka);
  await publisher.connect();
  // Polling every 10 ms rather than LISTEN/NOTIFY: a notifying append takes a database-wide
  // lock at commit, which cost 30% of routing throughput (docs/performance.md).
  const relay = new OutboxRelay({
    source: infrastructure.eventStore, leases: infrastructure.eventStore,
    publisher, topic: (event) => infrastructure.topics.events[eventFamilyOf(event.streamId)], pollIntervalMs: RELAY_POLL_MS,
    // What this process commits wakes its relay at once; polling catches the other processes' appends.
    notifications: { onAppended: (listener) => infrastructure.eventStore.onCommittedHere(listener) },
    name: eventRelayName(infrastructure.config.topicPrefix),
    // An event Kafka refuses is parked under the relay's name instead of stopping every stream's events.
    deadLetters: infrastructure.deadLetters,
  });
  await relay.start();
  return {
    status: () => relay.status(),
    async stop() {
      await relay.stop();
      await publisher.disconnect();
    },
  };
}
