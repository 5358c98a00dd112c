import { EventPublisher, OutboxRelay } from '@taskrouter/messaging';
import type { ServiceInfrastructure } from './service-infrastructure';

/**
 * Every service runs a relay from the event log to Kafka; a Postgres lease lets one publish
 * at a time and the others stand by, so stopping any one service stops nothing else.
 */
export async function startEventRelay(infrastructure: ServiceInfrastructure): Promise<{ stop(): Promise<void> }> {
  const publisher = new EventPublisher(infrastructure.kafka);
  await publisher.connect();
  const relay = new OutboxRelay({
    source: infrastructure.eventStore, leases: infrastructure.eventStore, notifications: infrastructure.eventStore,
    publisher, topic: infrastructure.topics.events,
  });
  await relay.start();
  return {
    async stop() {
      await relay.stop();
      await publisher.disconnect();
    },
  };
}
