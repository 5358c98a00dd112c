import { Pool } from 'pg';
// Specs use the real event store; the library itself only knows its ports.
import { PostgresEventStore, type StoredEvent } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import type { KafkaConnection } from './kafka-connection';
import { OutboxRelay } from './outbox-relay';
import { Collector, collectingLogger, testConnection, uniqueTopic } from './test-support/kafka-fixture';

describe('OutboxRelay', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const logger = collectingLogger();
  let connection: KafkaConnection;
  let publisher: EventPublisher;
  const running: { stop(): Promise<void> }[] = [];
  const schemas: string[] = [];

  beforeAll(() => {
    connection = testConnection(logger);
    publisher = new EventPublisher(connection);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
  });
  afterAll(async () => {
    await publisher.disconnect();
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function freshStore(): Promise<PostgresEventStore> {
    const schema = uniqueName('msg_relay');
    schemas.push(schema);
    const store = new PostgresEventStore(pool, { schema });
    await store.migrate();
    return store;
  }

  const relayFor = (store: PostgresEventStore, topic: string) => {
    const relay = new OutboxRelay({ source: store, leases: store, notifications: store, publisher, topic, batchSize: 7, retryIntervalMs: 100, logger });
    running.push(relay);
    return relay;
  };

  async function consumeEvents(topic: string): Promise<Collector<StoredEvent>> {
    const received = new Collector<StoredEvent>();
    const consumer = new EventConsumer(connection, {
      groupId: uniqueName('group'),
      topics: [topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 3,
      handler: async (record) => received.record(JSON.parse(String(record.value))),
    });
    running.push(consumer);
    await consumer.start();
    return received;
  }

  const appendTo = (store: PostgresEventStore, streamId: string, n: number) =>
    store.append([{ streamId, expectedVersion: 'any', events: [{ type: 'Counted', data: { n } }] }]);

  const streamOrderOf = (events: StoredEvent[]) => {
    const byStream = new Map<string, number[]>();
    for (const e of events) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    return byStream;
  };

  it('publishes events keyed by stream, each stream in order, and resumes from its checkpoint after a restart', async () => {
    const store = await freshStore();
    const topic = await uniqueTopic(connection, 'relay', 3);
    const received = await consumeEvents(topic);
    const streams = Array.from({ length: 10 }, (_, i) => `task:${i}`);

    const firstRelay = relayFor(store, topic);
    await firstRelay.start();
    for (let n = 0; n < 5; n++) for (const s of streams) await appendTo(store, s, n);
    await received.until((items) => items.length >= 50);
    await firstRelay.stop();

    // Appended while no relay runs: the next one must pick them up from the checkpoint.
    for (let n = 5; n < 10; n++) for (const s of streams) await appendTo(store, s, n);
    const checkpointBeforeRestart = await store.loadCheckpoint(`outbox-relay:${topic}`);
    await relayFor(store, topic).start();
    await received.until((items) => new Set(items.map((e) => e.position)).size >= 100);

    expect(checkpointBeforeRestart).not.toBeNull();
    const unique = [...new Map(received.items.map((e) => [e.position, e])).values()];
    expect(unique).toHaveLength(100);
    for (const s of streams) expect(streamOrderOf(received.items).get(s)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(received.items[0]).toMatchObject({ type: 'Counted', data: { n: 0 }, streamVersion: 1 });
  });

  it('does not skip a transaction that commits after a later one, end to end', async () => {
    const store = await freshStore();
    const topic = await uniqueTopic(connection, 'relay_late', 2);
    const received = await consumeEvents(topic);
    await relayFor(store, topic).start();

    let commitEarly!: () => void;
    const earlyMayCommit = new Promise<void>((resolve) => (commitEarly = resolve));
    let earlyInserted!: () => void;
    const earlyHasInserted = new Promise<void>((resolve) => (earlyInserted = resolve));
    const early = store.transaction(async (tx) => {
      await store.appendWithin(tx, [{ streamId: 'task:early', expectedVersion: 0, events: [{ type: 'Early', data: {} }] }]);
      earlyInserted();
      await earlyMayCommit;
    });
    await earlyHasInserted;
    await store.append([{ streamId: 'task:late', expectedVersion: 0, events: [{ type: 'Late', data: {} }] }]);
    await store.append([{ streamId: 'task:late', expectedVersion: 1, events: [{ type: 'Later', data: {} }] }]);
    commitEarly();
    await early;

    await received.until((items) => items.length >= 3);
    expect(received.items.map((e) => e.type).sort()).toEqual(['Early', 'Late', 'Later']);
    expect(received.items.filter((e) => e.streamId === 'task:late').map((e) => e.type)).toEqual(['Late', 'Later']);
  });

  it('lets only one of two relays publish (no duplicates), the other taking over when it stops', async () => {
    const store = await freshStore();
    const topic = await uniqueTopic(connection, 'relay_pair', 1);
    const received = await consumeEvents(topic);
    const [first, second] = [relayFor(store, topic), relayFor(store, topic)];
    await Promise.all([first.start(), second.start()]);

    for (let n = 0; n < 20; n++) await appendTo(store, 'task:pair', n);
    await received.until((items) => items.length >= 20);
    // Whichever of the two held the lease, the survivor now holds it (or takes it over).
    await first.stop();
    for (let n = 20; n < 30; n++) await appendTo(store, 'task:pair', n);
    await received.until((items) => items.length >= 30);

    expect(received.items.map((e) => e.streamVersion)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});
