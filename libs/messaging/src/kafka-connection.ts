import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { stderrLogger, type MessagingLogger, type TopicSpec } from './messages';

/** Reaches the underlying kafkajs client from inside this library only (not exported by index). */
export const kafkaClientOf = (connection: KafkaConnection): Kafka => connection[kafkaClient];
const kafkaClient = Symbol('kafkaClient');

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  logger?: MessagingLogger;
}

/** One Kafka cluster, as seen by one service. Publishers and consumers are made from it. */
export class KafkaConnection {
  readonly [kafkaClient]: Kafka;
  readonly logger: MessagingLogger;

  constructor(options: KafkaConnectionOptions) {
    const logger = options.logger ?? stderrLogger;
    this.logger = logger;
    this[kafkaClient] = new Kafka({
      brokers: options.brokers,
      clientId: options.clientId,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ namespace, level, log }: LogEntry) => {
          const { message, ...details } = log;
          logger({ level: level === logLevel.ERROR ? 'error' : 'warn', source: `kafkajs:${namespace}`, message, details });
        },
    });
  }

  /**
   * Creates the topics that do not exist yet and waits until they have leaders, so the
   * first publish does not race the topic's creation. Existing topics are left as they are.
   */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const admin = this[kafkaClient].admin();
    await admin.connect();
    try {
      // Creating only the missing ones keeps kafkajs from logging "topic already exists" as an error at every start.
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) {
        await admin.createTopics({ waitForLeaders: true, topics: missing.map(({ topic, partitions }) => ({ topic, numPartitions: partitions })) });
      }
      // Another service may have created them a moment ago: wait for their leaders too.
      await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
    } finally {
      await admin.disconnect();
    }
  }
}
