import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { backoffDelay, pause, type BackoffOptions } from './backoff';
import { kafkaClientOf, type KafkaConnection } from './kafka-connection';
import type { ConsumedRecord, MessagingLogger } from './messages';

export type RecordHandler = (record: ConsumedRecord) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  handler: RecordHandler;
  /** Where a group without committed offsets starts; default false (only new records). */
  fromBeginning?: boolean;
  /** Partitions handled at the same time (each one still strictly in order); default 1. */
  partitionsConsumedConcurrently?: number;
  /** Delays between retries of a failing record; default 100 ms doubling up to 10 s. */
  retryBackoff?: BackoffOptions;
}

/**
 * A consumer group member that hands records to `handler` one at a time per partition (so
 * per key, in order) and commits a record's offset only after its handler resolved. A
 * failing record is retried with backoff, never skipped: its partition waits for it. If the
 * consumer stops or loses the partition meanwhile, the record stays uncommitted and is
 * delivered again to whoever consumes the partition next, from the last committed offset.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly logger: MessagingLogger;
  private readonly retryBackoff: BackoffOptions;
  private stopping = new AbortController();

  constructor(
    connection: KafkaConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.logger = connection.logger;
    this.retryBackoff = options.retryBackoff ?? { initialMs: 100, maxMs: 10_000 };
    this.consumer = kafkaClientOf(connection).consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  }

  /** Joins the group and starts consuming; resolves once consumption has started. */
  async start(): Promise<void> {
    this.stopping = new AbortController();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? false });
    await this.consumer.run({
      autoCommit: true,
      // Offsets are resolved by hand, record by record, after the handler resolved.
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Leaves the group after the record in hand; what was not handled stays uncommitted. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.consumer.disconnect();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const record = toConsumedRecord(batch.topic, batch.partition, message);
      const handled = await this.handleUntilDone(record, () => !this.stopping.signal.aborted && isRunning() && !isStale(), heartbeat);
      if (!handled) return;
      resolveOffset(message.offset);
      // kafkajs commits the resolved offsets after the batch; heartbeats keep our partitions.
      await heartbeat();
    }
  }

  /** False when the consumer stopped or lost the partition before the handler succeeded. */
  private async handleUntilDone(record: ConsumedRecord, stillOwned: () => boolean, heartbeat: () => Promise<void>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(record);
        return true;
      } catch (error) {
        const delayMs = backoffDelay(attempt, this.retryBackoff);
        this.logger({
          level: 'error',
          source: 'EventConsumer',
          message: `Handler failed; retrying the record in ${delayMs} ms`,
          details: { groupId: this.options.groupId, topic: record.topic, partition: record.partition, offset: record.offset, attempt, error: String(error) },
        });
        await pause(delayMs, this.stopping.signal);
        if (!stillOwned()) return false;
        await heartbeat();
      }
    }
  }
}

function toConsumedRecord(topic: string, partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers,
  };
}
