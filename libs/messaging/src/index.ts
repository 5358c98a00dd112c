export type { OutgoingRecord, ConsumedRecord, TopicSpec, MessagingLogger } from './messages';
export { stderrLogger } from './messages';
export { KafkaConnection, type KafkaConnectionOptions, type ConsumerMembership, type PartitionOffsets } from './kafka-connection';
export { EventPublisher, type RecordPublisher } from './event-publisher';
export { EventConsumer, MAX_RECORDS_PER_DECISION_BATCH, DEFAULT_MAX_UNFINISHED_PER_PARTITION, type EventConsumerOptions, type BatchControl, type RecordBatchHandler, type RecordHandler } from './event-consumer';
export type { BackoffOptions } from './backoff';
export type {
  CommittedEventSource,
  StoredEventLike,
  LogCheckpoint,
  ExclusiveLease,
  ExclusiveLeases,
  AppendNotifications,
} from './committed-event-source';
export { OutboxRelay, eventRecord, type OutboxRelayOptions, type RelayStatus } from './outbox-relay';
export { KafkaEventTransport, KafkaEventContext, type KafkaEventTransportOptions } from './kafka-event-transport';
export { recordBatches, type BatchLimits } from './record-batches';
export type {
  DeadLetterPolicy,
  DeadLetterStore,
  DeadLetterSource,
  DeadLetterFailure,
  StoredDeadLetter,
  HoldOutcome,
} from './dead-letters';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_POLL_MS } from './dead-letters';
export { DeadLetterCounters, DEAD_LETTER_OUTCOMES, type DeadLetterCounts, type DeadLetterOutcome } from './dead-letter-counters';
export { isTransientFailure, isRecordRejection, describeFailure } from './failure-kinds';
export { KeepHandlerErrors } from './keep-handler-errors';
export { concurrentByKey } from './concurrent-by-key';
