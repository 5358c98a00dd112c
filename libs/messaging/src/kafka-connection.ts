import { ConfigResourceTypes, Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { kafkaLogLevel } from './kafka-log-level';
import { stderrLogger, type MessagingLogger, type TopicSpec } from './messages';

/** Reaches the underlying kafkajs client from inside this library only (not exported by index). */
export const kafkaClientOf = (connection: KafkaConnection): Kafka => connection[kafkaClient];
const kafkaClient = Symbol('kafkaClient');

export interface KafkaConnectionOptions {
  brokers: string[];
  clientId: string;
  logger?: MessagingLogger;
}

/** A consumer group member of a service, as its readiness and metrics see it. */
export interface ConsumerMembership {
  readonly groupId: string;
  readonly topics: readonly string[];
  isInGroup(): boolean;
  consumedByTopic(): ReadonlyMap<string, number>;
}

/** A partition's end and how far a group committed in it (-1: never committed). */
export interface PartitionOffsets {
  readonly topic: string;
  readonly partition: number;
  readonly low: number;
  readonly high: number;
  readonly committed: number;
}

/** One Kafka cluster, as seen by one service. Publishers and consumers are made from it. */
export class KafkaConnection {
  readonly [kafkaClient]: Kafka;
  readonly logger: MessagingLogger;
  /** The consumers of this service that are started (EventConsumer adds and removes itself). */
  readonly members = new Set<ConsumerMembership>();

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
          logger({ level: kafkaLogLevel(level === logLevel.ERROR, String(message)), source: `kafkajs:${namespace}`, message, details });
        },
    });
  }

  /**
   * Creates the topics that do not exist yet and waits until they have leaders, so the
   * first publish does not race the topic's creation. Existing topics keep their partitions;
   * their settings are brought to `config` (an older deployment gets the current limits).
   */
  /**
   * Creates what is missing and keeps the settings. The services start at once, so another one
   * may have just created a topic whose partitions have no leader yet ("does not host this
   * topic-partition"), or create it between our listing and our create: those answers are tried
   * again, a few times over some seconds, rather than stopping the service.
   */
  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ensureTopicsOnce(topics);
      } catch (error) {
        if (attempt >= ENSURE_TOPICS_ATTEMPTS || !isStartUpRace(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
      }
    }
  }

  private async ensureTopicsOnce(topics: TopicSpec[]): Promise<void> {
    const admin = this[kafkaClient].admin();
    await admin.connect();
    try {
      // Creating only the missing ones keeps kafkajs from logging "topic already exists" as an error at every start.
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.topic));
      if (missing.length > 0) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map(({ topic, partitions, config }) => ({ topic, numPartitions: partitions, configEntries: configEntriesOf(config) })),
        });
      }
      const configured = topics.filter((t) => existing.has(t.topic) && t.config && Object.keys(t.config).length > 0);
      if (configured.length > 0) await this.keepTopicSettings(admin, configured);
      // Another service may have created them a moment ago: wait for their leaders too.
      await admin.fetchTopicMetadata({ topics: topics.map((t) => t.topic) });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Brings existing topics' settings to the wanted values. Kafka's AlterConfigs replaces a
   * topic's whole set of overrides, so the overrides it has (an operator's retention, say) are
   * read first and sent again with ours; topics already right are not touched.
   */
  private async keepTopicSettings(admin: Admin, topics: TopicSpec[]): Promise<void> {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.topic })),
    });
    const changes = [];
    for (const spec of topics) {
      const current = resources.find((r) => r.resourceName === spec.topic)?.configEntries ?? [];
      const overrides = new Map(current.filter((e) => !e.isDefault && !e.readOnly).map((e) => [e.configName, e.configValue]));
      const wanted = Object.entries(spec.config ?? {});
      if (wanted.every(([name, value]) => overrides.get(name) === value)) continue;
      for (const [name, value] of wanted) overrides.set(name, value);
      changes.push({ type: ConfigResourceTypes.TOPIC, name: spec.topic, configEntries: [...overrides].map(([name, value]) => ({ name, value })) });
    }
    if (changes.length > 0) await admin.alterConfigs({ validateOnly: false, resources: changes });
  }

  /** A topic's current settings, as the broker reports them (operators and tests read limits here). */
  async topicConfig(topic: string, names: string[]): Promise<Record<string, string>> {
    const admin = this[kafkaClient].admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: names }] });
      return Object.fromEntries((resources[0]?.configEntries ?? []).map((entry) => [entry.configName, entry.configValue]));
    } finally {
      await admin.disconnect();
    }
  }

  /** Per partition of `topics`: its low and high watermarks and the group's committed offset. One admin session. */
  async groupOffsets(groupId: string, topics: readonly string[]): Promise<PartitionOffsets[]> {
    const admin = this[kafkaClient].admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      const offsets: PartitionOffsets[] = [];
      for (const topic of topics) {
        const done = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        for (const end of await admin.fetchTopicOffsets(topic)) {
          offsets.push({ topic, partition: end.partition, low: Number(end.low), high: Number(end.high), committed: done.get(end.partition) ?? -1 });
        }
      }
      return offsets;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * How many records of `topics` the group has not committed yet, over all partitions (a
   * partition it never committed counts from its low watermark). Zero means caught up.
   */
  async consumerGroupLag(groupId: string, topics: string[]): Promise<number> {
    const admin = this[kafkaClient].admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      let lag = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const offsets = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        for (const end of ends) {
          const done = offsets.get(end.partition) ?? -1;
          lag += Number(end.high) - (done >= 0 ? done : Number(end.low));
        }
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }
}

function configEntriesOf(config: Record<string, string> | undefined): { name: string; value: string }[] {
  return Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
}

const ENSURE_TOPICS_ATTEMPTS = 10;

/** A retriable broker answer (no leader yet, unknown partition) or a topic another service created meanwhile. */
export function isStartUpRace(error: unknown): boolean {
  const e = error as { retriable?: boolean; type?: string; errors?: unknown[]; message?: string } | null;
  if (!e) return false;
  if (e.retriable === true || e.type === 'TOPIC_ALREADY_EXISTS' || /already exists/i.test(e.message ?? '')) return true;
  return Array.isArray(e.errors) && e.errors.some(isStartUpRace);
}
