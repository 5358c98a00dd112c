import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { isRecordRejection, isSequenceLost } from './failure-kinds';
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
  private producer: Producer;
  private readonly limits: BatchLimits;
  private connected: Promise<void> | undefined;

  constructor(private readonly connection: KafkaConnection, options: Partial<BatchLimits> = {}) {
    this.producer = this.newProducer();
    this.limits = { maxRecords: options.maxRecords ?? 1000, maxBytes: options.maxBytes ?? 900_000 };
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }

  /** Sends the records in order, batch after batch; resolves when all are acknowledged. */
  async publish(records: OutgoingRecord[]): Promise<void> {
    try {
      await this.sendInBatches(records);
    } catch (error) {
      // kafkajs rolls back the sequence numbers of every partition of a refused request, those the
      // broker accepted too, and then gets "out of order sequence number" there for ever after. A
      // new producer (a new producer id) starts its sequences afresh; the send may duplicate, never reorder.
      if (isRecordRejection(error) || isSequenceLost(error)) await this.replaceProducer();
      throw error;
    }
  }

  private async sendInBatches(records: OutgoingRecord[]): Promise<void> {
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

  private newProducer(): Producer {
    // One request in flight keeps per-partition order even across the producer's own retries.
    return kafkaClientOf(this.connection).producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }

  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    const wasConnected = this.connected;
    this.producer = this.newProducer();
    this.connected = undefined;
    if (wasConnected) await old.disconnect().catch(() => undefined);
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
