import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { kafkaClientOf, type KafkaConnection } from './kafka-connection';
import type { OutgoingRecord } from './messages';
import { byTopic, recordBatches, type BatchLimits } from './record-batches';

/** Anything that can publish records and resolve once Kafka has them (the relay's port). */
export interface RecordPublisher {
  publish(records: OutgoingRecord[]): Promise<void>;
}

/**
 * An idempotent producer (acks from all in-sync replicas, broker-side de-duplication of
 * retries), so a retried send neither loses nor duplicates nor reorders a record.
 */
export class EventPublisher implements RecordPublisher {
  private readonly producer: Producer;
  private readonly limits: BatchLimits;
  private connected: Promise<void> | undefined;

  constructor(connection: KafkaConnection, options: Partial<BatchLimits> = {}) {
    // One request in flight keeps per-partition order even across the producer's own retries.
    this.producer = kafkaClientOf(connection).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    this.limits = { maxRecords: options.maxRecords ?? 1000, maxBytes: options.maxBytes ?? 900_000 };
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  /** Sends the records in order, batch after batch; resolves when all are acknowledged. */
  async publish(records: OutgoingRecord[]): Promise<void> {
    await this.connect();
    for (const batch of recordBatches(records, this.limits)) {
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic(batch)].map(([topic, list]) => ({
          topic,
          messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
    }
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
