import { uniqueName } from '@taskrouter/testing';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import type { KafkaConnection } from './kafka-connection';
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

  const consume = async (topic: string, handler: (record: ConsumedRecord) => Promise<void>) => {
    const consumer = new EventConsumer(connection, {
      groupId: uniqueName('group'),
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
});
