import { uniqueName } from '@taskrouter/testing';
import { EventPublisher } from './event-publisher';
import { testConnection } from './test-support/kafka-fixture';

describe('KafkaConnection topics and lag', () => {
  const connection = testConnection();

  it('creates topics with their settings, and brings an existing topic to them while keeping its other overrides', async () => {
    const topic = uniqueName('cfg');
    await connection.ensureTopics([{ topic, partitions: 2, config: { 'max.message.bytes': '2000000', 'retention.ms': '86400000' } }]);
    expect(await connection.topicConfig(topic, ['max.message.bytes', 'retention.ms'])).toEqual({ 'max.message.bytes': '2000000', 'retention.ms': '86400000' });

    await connection.ensureTopics([{ topic, partitions: 2, config: { 'max.message.bytes': '8388608' } }]);
    expect(await connection.topicConfig(topic, ['max.message.bytes', 'retention.ms'])).toEqual({ 'max.message.bytes': '8388608', 'retention.ms': '86400000' });
  });

  it('carries a record far larger than the broker default of 1 MB on a topic configured for it', async () => {
    const topic = uniqueName('big');
    await connection.ensureTopics([{ topic, partitions: 1, config: { 'max.message.bytes': String(8 * 1024 * 1024) } }]);
    const publisher = new EventPublisher(connection);
    try {
      await publisher.publish([{ topic, key: 'k', value: 'x'.repeat(3 * 1024 * 1024) }]);
    } finally {
      await publisher.disconnect();
    }
    expect(await connection.consumerGroupLag(uniqueName('nobody'), [topic])).toBe(1);
  });

  it('counts what a group has not committed, from the low watermark for a group that never did', async () => {
    const topic = uniqueName('lag');
    await connection.ensureTopics([{ topic, partitions: 3 }]);
    const publisher = new EventPublisher(connection);
    try {
      await publisher.publish(['a', 'b', 'c', 'd', 'e'].map((key) => ({ topic, key, value: key })));
    } finally {
      await publisher.disconnect();
    }
    expect(await connection.consumerGroupLag(uniqueName('group'), [topic])).toBe(5);
  });
});
