import { PostgresEventStore, migrateSchema, type StoredEvent } from '@taskrouter/event-store';
import { DeadLetterCounters, EventConsumer, EventPublisher, KafkaConnection, OutboxRelay, type OutgoingRecord, type RecordPublisher } from '@taskrouter/messaging';
import { testDatabaseUrl, testKafkaBrokers, uniqueName } from '@taskrouter/testing';
import { ConfigResourceTypes } from 'kafkajs';
import { Pool } from 'pg';
import { DeadLetterAdmin } from './dead-letter-admin';
import { deadLetterMigrations } from './dead-letter-migrations';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store';
import { Collector, collectingLogger, createTopic, eventually, testAdmin } from './test-support/dead-letter-fixture';

/** The broker refuses records over this; a real refusal ("message too large"), not a simulated one. */
const TOPIC_MAX_MESSAGE_BYTES = 4096;

describe('the outbox relay with dead letters, on the real Postgres and Kafka', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const kafkaAdmin = testAdmin();
  const logger = collectingLogger();
  const connection = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: uniqueName('dl-relay'), logger });
  const publisher = new EventPublisher(connection);
  const running: { stop(): Promise<void> }[] = [];
  const schemas: string[] = [];
  const topics: string[] = [];

  beforeAll(async () => {
    await kafkaAdmin.connect();
    await publisher.connect();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await publisher.disconnect();
    await kafkaAdmin.deleteTopics({ topics }).catch(() => undefined);
    await kafkaAdmin.disconnect();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function scenario() {
    const schema = uniqueName('dl_relay');
    schemas.push(schema);
    const eventStore = new PostgresEventStore(pool, { schema });
    await eventStore.migrate();
    await migrateSchema(pool, schema, deadLetterMigrations);
    const topic = await createTopic(kafkaAdmin, 'dl_relay', 2, { 'max.message.bytes': String(TOPIC_MAX_MESSAGE_BYTES) });
    topics.push(topic);
    const name = `outbox-relay:${topic}`;
    const counters = new DeadLetterCounters();
    const received = new Collector<StoredEvent>();
    const consumer = new EventConsumer(connection, {
      groupId: uniqueName('dl_relay_group'), topics: [topic], fromBeginning: true, partitionsConsumedConcurrently: 2,
      handler: async (record) => received.record(JSON.parse(String(record.value))),
    });
    running.push(consumer);
    await consumer.start();
    const relayWith = async (through: RecordPublisher) => {
      const relay = new OutboxRelay({
        source: eventStore, leases: eventStore, publisher: through, topic, name, batchSize: 50, pollIntervalMs: 10, retryIntervalMs: 100, logger,
        deadLetters: { store: new PostgresDeadLetterStore(pool, schema), maxAttempts: 3, retryPollMs: 100, counters },
      });
      running.push(relay);
      await relay.start();
      return relay;
    };
    const append = (streamId: string, data: Record<string, unknown>) =>
      eventStore.append([{ streamId, expectedVersion: 'any', events: [{ type: 'Counted', data }] }]);
    // First deliveries: the records of a refused round that Kafka took anyway are published again (at least once).
    const versionsOf = (streamId: string) => [...new Set(received.items.filter((e) => e.streamId === streamId).map((e) => e.streamVersion))];
    return { schema, topic, name, counters, received, relayWith, append, versionsOf, eventStore, admin: new DeadLetterAdmin(pool, schema) };
  }

  it('parks an event the broker refuses, holds its stream behind it, and keeps publishing the others', async () => {
    const s = await scenario();
    await s.relayWith(publisher);
    await s.append('task:a', { n: 1 });
    await s.append('task:big', { n: 1, padding: 'x'.repeat(2 * TOPIC_MAX_MESSAGE_BYTES) });
    await s.append('task:big', { n: 2 });
    await s.append('task:b', { n: 1 });
    await s.received.until((items) => items.some((e) => e.streamId === 'task:b'));
    await s.append('task:big', { n: 3 });
    await s.append('task:a', { n: 2 });
    await s.received.until(() => s.versionsOf('task:a').includes(2));
    const letters = await s.admin.list({ consumer: s.name });

    expect(s.versionsOf('task:a')).toEqual([1, 2]);
    expect(s.versionsOf('task:b')).toEqual([1]);
    expect(s.versionsOf('task:big')).toEqual([]);
    expect(letters.map((l) => [l.status, l.streamKey, l.streamSequence])).toEqual([['parked', 'task:big', '1'], ['held', 'task:big', '2'], ['held', 'task:big', '3']]);
    expect(letters[0]).toMatchObject({
      topic: s.topic, partition: null, offset: null, eventType: 'Counted', attempts: 3, sourceRef: expect.stringMatching(/^log\/\d+$/),
      error: expect.stringContaining('larger than the max message size'),
    });
    expect(JSON.parse(String(letters[0].value))).toMatchObject({ streamId: 'task:big', streamVersion: 1, data: { n: 1 } });
    expect(logger.entries.filter((e) => e.level === 'error' && e.source === 'DeadLetters' && e.details.consumer === s.name)).toHaveLength(1);
    expect(s.counters.snapshot().byConsumer[s.name]).toMatchObject({ parked: 1, held: 2 });
    // The checkpoint went past the refused event, up to the last one: the relay did not stop on it.
    const last = s.received.items.find((e) => e.streamId === 'task:a' && e.streamVersion === 2);
    expect(await eventually(() => s.eventStore.loadCheckpoint(s.name), (c) => c?.position === last?.position)).toMatchObject({ position: last?.position });
  });

  it('publishes retried letters in stream order once the topic takes them, then the stream flows again', async () => {
    const s = await scenario();
    await s.relayWith(publisher);
    await s.append('task:big', { n: 1, padding: 'x'.repeat(2 * TOPIC_MAX_MESSAGE_BYTES) });
    await s.append('task:big', { n: 2 });
    await s.append('task:a', { n: 1 });
    // Kafka may take task:a in the same request that refuses task:big, before the park: wait for the table.
    await eventually(() => s.admin.list({ consumer: s.name }), (rows) => rows.length === 2);
    await kafkaAdmin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: s.topic, configEntries: [{ name: 'max.message.bytes', value: '1048588' }] }] });

    expect(await s.admin.markForRetry({ stream: 'task:big', consumer: s.name })).toBe(2);
    await s.received.until(() => s.versionsOf('task:big').length >= 2);
    await s.append('task:big', { n: 3 });
    await s.received.until(() => s.versionsOf('task:big').includes(3));

    expect(s.versionsOf('task:big')).toEqual([1, 2, 3]);
    expect(await eventually(() => s.admin.list({ consumer: s.name }), (rows) => rows.length === 0)).toEqual([]);
    expect(s.counters.snapshot().byConsumer[s.name]).toMatchObject({ parked: 1, held: 1, retried: 2 });
  });

  it('parks nothing while the broker is unreachable, and publishes everything from its checkpoint once it is back', async () => {
    const s = await scenario();
    // A producer of a broker nobody listens on: kafkajs's own connection errors, after its own retries.
    const unreachable = new EventPublisher(new KafkaConnection({ brokers: ['127.0.0.1:1'], clientId: uniqueName('dl-down'), logger: () => undefined }));
    let outage = true;
    const failures: unknown[] = [];
    const switching: RecordPublisher = {
      publish: async (records: OutgoingRecord[]) => {
        if (!outage) return publisher.publish(records);
        try {
          return await unreachable.publish(records);
        } catch (error) {
          failures.push(error);
          throw error;
        }
      },
    };
    await s.relayWith(switching);
    await s.append('task:a', { n: 1 });
    await s.append('task:big', { n: 1, padding: 'x'.repeat(2 * TOPIC_MAX_MESSAGE_BYTES) });
    await s.append('task:a', { n: 2 });
    await eventually(async () => failures.length, (n) => n >= 2, 60_000);

    expect(await s.admin.list({ consumer: s.name })).toEqual([]);
    expect(await s.eventStore.loadCheckpoint(s.name)).toBeNull();
    expect((failures[0] as Error).name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(logger.entries.some((e) => e.source === 'OutboxRelay' && e.message.startsWith('Relaying failed') && e.details.name === s.name)).toBe(true);

    outage = false;
    await s.received.until(() => s.versionsOf('task:a').length >= 2);
    // Back from the outage, the oversized event meets the broker's refusal and only then is parked.
    const letters = await eventually(() => s.admin.list({ consumer: s.name }), (rows) => rows.length === 1);
    expect(s.versionsOf('task:a')).toEqual([1, 2]);
    expect(letters[0]).toMatchObject({ streamKey: 'task:big', status: 'parked', error: expect.stringContaining('larger than the max message size') });
  });
});
