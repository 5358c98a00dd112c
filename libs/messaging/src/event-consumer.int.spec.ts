import { uniqueName } from '@taskrouter/testing';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { kafkaClientOf, type KafkaConnection } from './kafka-connection';
import type { ConsumedRecord } from './messages';
import { Collector, collectingLogger, testConnection, uniqueTopic } from './test-support/kafka-fixture';

describe('EventPublisher and EventConsumer', () => {
  const logger = collectingLogger();
  let connection: KafkaConnection;
  let publisher: EventPublisher;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    connection = testConnection(logger);
    publisher = new EventPublisher(connection, { maxRecords: 100 });
    await publisher.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await publisher.disconnect();
  });

  const consume = async (topic: string, handler: (record: ConsumedRecord) => Promise<void>, groupId = uniqueName('group')) => {
    const consumer = new EventConsumer(connection, {
      groupId,
      topics: [topic],
      fromBeginning: true,
      partitionsConsumedConcurrently: 4,
      retryBackoff: { initialMs: 10, maxMs: 50 },
      handler,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  };

  it('delivers every key’s records in the order they were published, across partitions', async () => {
    const topic = await uniqueTopic(connection, 'order', 4);
    const keys = Array.from({ length: 40 }, (_, k) => `task:${k}`);
    const perKey = 25;
    // Interleaved: sequence 0 of every key, then sequence 1 of every key, ...
    const records = Array.from({ length: perKey }, (_, seq) => keys.map((key) => ({ topic, key, value: String(seq) }))).flat();
    const received = new Collector<ConsumedRecord>();

    await consume(topic, async (record) => received.record(record));
    await publisher.publish(records.slice(0, 500));
    await publisher.publish(records.slice(500));
    await received.until((items) => items.length >= records.length);

    const sequences = new Map<string, number[]>();
    for (const r of received.items) sequences.set(String(r.key), [...(sequences.get(String(r.key)) ?? []), Number(r.value)]);
    expect(received.items).toHaveLength(records.length);
    expect(new Set(received.items.map((r) => r.partition)).size).toBe(4);
    for (const key of keys) expect(sequences.get(key)).toEqual(Array.from({ length: perKey }, (_, i) => i));
  });

  it('retries a failing record until it succeeds, holding back the records behind it', async () => {
    const topic = await uniqueTopic(connection, 'retry', 1);
    const handled = new Collector<string>();
    let failuresLeft = 3;

    await consume(topic, async (record) => {
      if (record.value === 'b' && failuresLeft-- > 0) throw new Error('not yet');
      handled.record(String(record.value));
    });
    await publisher.publish(['a', 'b', 'c'].map((value) => ({ topic, key: 'k', value, headers: { 'event-type': 'T' } })));

    expect(await handled.until((items) => items.length >= 3)).toEqual(['a', 'b', 'c']);
    expect(logger.entries.filter((e) => e.source === 'EventConsumer')).toHaveLength(3);
  });

  it('goes on past a record its handler holds, and commits nothing from it on until it is released', async () => {
    const topic = await uniqueTopic(connection, 'held', 1);
    const groupId = uniqueName('group');
    const handled = new Collector<string>();
    let releaseB: (() => void) | undefined;
    // Records are published only once `consumer` is assigned.
    const consumer: EventConsumer = await consume(topic, async (record) => {
      handled.record(String(record.value));
      if (record.value === 'b') releaseB = consumer.holdUntilFinished(record);
    }, groupId);
    await publisher.publish(['a', 'b', 'c', 'd'].map((value) => ({ topic, key: value, value })));
    expect(await handled.until((items) => items.length >= 4)).toEqual(['a', 'b', 'c', 'd']);

    const committed = async () => {
      const admin = kafkaClientOf(connection).admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets!.partitions[0]!.offset;
      } finally {
        await admin.disconnect();
      }
    };
    // Stopping commits everything done with: a only, since b holds back c and d.
    await consumer.stop();
    expect(await committed()).toBe('1');

    // A member that takes the partition now gets b again, and what followed it.
    const again = new Collector<string>();
    const second = await consume(topic, async (record) => again.record(String(record.value)), groupId);
    expect(await again.until((items) => items.length >= 3)).toEqual(['b', 'c', 'd']);
    releaseB!();
    await second.stop();
    expect(await committed()).toBe('4');
  });
});
