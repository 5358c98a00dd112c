import { checkInfrastructure, type InfrastructureConfig } from '@taskrouter/config';
import { EVENT_TOPIC_MAX_MESSAGE_BYTES, PostgresEventStore, migrateSchema, type StoredEvent, type StreamAppend, type Transaction } from '@taskrouter/event-store';
import { DeadLetterCounters, KafkaConnection, type DeadLetterPolicy, type RecordBatchHandler } from '@taskrouter/messaging';
import { ReadModelProjector, ReadModelQueries, readModelMigrations } from '@taskrouter/read-model';
import { Pool } from 'pg';
import { AggregateStore } from './aggregate-store';
import { batchDecider, DecisionBatch } from './batch';
import { PostgresDeadLetterStore, deadLetterMigrations, isTransientServiceFailure } from './dead-letters';
import { EVENT_TOPIC_PARTITIONS, WORK_ITEM_TOPIC_PARTITIONS, topicsFor } from './topics';
import { processMetrics } from './operations/service-metrics';
import { timePostgresQueries } from './operations/postgres-timing';

/**
 * Set on every topic, not left to the broker's default (1 MB): the log refuses any event over
 * MAX_EVENT_BYTES, so every committed event fits its topic and the relay can never be stopped
 * by one it cannot send.
 */
const TOPIC_CONFIG = { 'max.message.bytes': String(EVENT_TOPIC_MAX_MESSAGE_BYTES) };

/** What every service connects to at start, checked first so a missing dependency is named clearly. */
export class ServiceInfrastructure {
  readonly aggregates: AggregateStore;
  readonly projector: ReadModelProjector;
  readonly queries: ReadModelQueries;
  readonly topics: ReturnType<typeof topicsFor>;
  /** For every consumer and the relay of this service: one table, one counter (docs/operations.md, "Dead letters"). */
  readonly deadLetters: DeadLetterPolicy & { counters: DeadLetterCounters };

  private constructor(
    readonly config: InfrastructureConfig,
    readonly pool: Pool,
    readonly eventStore: PostgresEventStore,
    readonly kafka: KafkaConnection,
  ) {
    this.aggregates = new AggregateStore(eventStore);
    this.projector = new ReadModelProjector(config.schema);
    this.decideBatches = batchDecider({ aggregates: this.aggregates, eventStore, project: (tx, events) => this.projector.project(tx, events) });
    this.queries = new ReadModelQueries(pool, config.schema);
    this.topics = topicsFor(config.topicPrefix);
    this.deadLetters = { store: new PostgresDeadLetterStore(pool, config.schema), counters: new DeadLetterCounters(), isTransient: isTransientServiceFailure };
  }

  static async connect(config: InfrastructureConfig, serviceName: string, options: { poolSize?: number } = {}): Promise<ServiceInfrastructure> {
    await checkInfrastructure(config);
    const pool = new Pool({ connectionString: config.databaseUrl, max: options.poolSize ?? 10, application_name: serviceName });
    timePostgresQueries(pool, processMetrics.postgresQueries);
    const eventStore = new PostgresEventStore(pool, { schema: config.schema });
    await eventStore.onCommittedHere(processMetrics.countAppended);
    await eventStore.migrate();
    await migrateSchema(pool, config.schema, readModelMigrations);
    await migrateSchema(pool, config.schema, deadLetterMigrations);
    const kafka = new KafkaConnection({ brokers: config.kafkaBrokers, clientId: serviceName });
    const infrastructure = new ServiceInfrastructure(config, pool, eventStore, kafka);
    await kafka.ensureTopics([
      ...Object.values(infrastructure.topics.events).map((topic) => ({ topic, partitions: EVENT_TOPIC_PARTITIONS, config: TOPIC_CONFIG })),
      { topic: infrastructure.topics.workItems, partitions: WORK_ITEM_TOPIC_PARTITIONS, config: TOPIC_CONFIG },
      { topic: infrastructure.topics.rejectedWorkItems, partitions: WORK_ITEM_TOPIC_PARTITIONS, config: TOPIC_CONFIG },
    ]);
    return infrastructure;
  }

  /**
   * Appends and projects in one transaction; `alsoInTransaction` adds the caller's own effect (a timer's removal).
   * Inside a consumer batch the append joins the batch's one transaction and resolves once it commits.
   */
  readonly append = (appends: StreamAppend[], alsoInTransaction?: (tx: Transaction, events: StoredEvent[]) => Promise<void>): Promise<StoredEvent[]> => {
    const batch = DecisionBatch.current();
    if (batch?.collecting) return batch.collect({ appends, alsoInTransaction }, this.aggregates.evolvePending);
    return this.eventStore.append(appends, async (tx, events) => {
      await this.projector.project(tx, events);
      if (alsoInTransaction) await alsoInTransaction(tx, events);
    });
  };

  /** Decides each Kafka batch of a consumer in one transaction (see `batchDecider`). */
  readonly decideBatches: RecordBatchHandler;

  async close(): Promise<void> {
    await this.pool.end();
  }
}
