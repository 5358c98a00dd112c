export type { OutgoingRecord, ConsumedRecord, TopicSpec, MessagingLogger } from './messages';
export { stderrLogger } from './messages';
export { KafkaConnection, type KafkaConnectionOptions } from './kafka-connection';
export { EventPublisher, type RecordPublisher } from './event-publisher';
export { EventConsumer, type EventConsumerOptions, type RecordHandler } from './event-consumer';
export type { BackoffOptions } from './backoff';
export type {
  CommittedEventSource,
  StoredEventLike,
  LogCheckpoint,
  ExclusiveLease,
  ExclusiveLeases,
  AppendNotifications,
} from './committed-event-source';
export { OutboxRelay, eventRecord, type OutboxRelayOptions } from './outbox-relay';
export { KafkaEventTransport, KafkaEventContext, type KafkaEventTransportOptions } from './kafka-event-transport';
export { recordBatches, type BatchLimits } from './record-batches';
