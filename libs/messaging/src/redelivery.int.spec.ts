import { Pool } from 'pg';
// Specs use the real event store; the library itself only knows its ports.
import { PostgresEventStore } from '@taskrouter/event-store';
import { testDatabaseUrl, uniqueName } from '@taskrouter/testing';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import type { ConsumedRecord } from './messages';
import { Collector, testConnection, uniqueTopic } from './test-support/kafka-fixture';

describe('redelivery after a consumer dies before committing its offset', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 4 });
  const schema = uniqueName('msg_redelivery');
  const store = new PostgresEventStore(pool, { schema });
  const connection = testConnection();

  beforeAll(async () => {
    await store.migrate();
    await pool.query(`CREATE TABLE "${schema}".effects (stream_id text, stream_version int)`);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('hands the record to the next consumer of the group, and the claim prevents a second effect', async () => {
    const topic = await uniqueTopic(connection, 'redelivery', 1);
    const groupId = uniqueName('group');
    const event = { streamId: 'task:1', streamVersion: 1, type: 'TaskCreated' };
    const deliveries = new Collector<{ consumer: string; firstTime: boolean }>();

    // The effect and its claim commit together; whether the offset commit follows is up to the consumer.
    const applyEffectOnce = async (consumer: string, record: ConsumedRecord) => {
      const { streamId, streamVersion } = JSON.parse(String(record.value));
      const firstTime = await store.transaction(async (tx) => {
        if (!(await store.claim(tx, 'effects', { streamId, streamVersion }))) return false;
        await tx.query(`INSERT INTO "${schema}".effects VALUES ($1, $2)`, [streamId, streamVersion]);
        return true;
      });
      deliveries.record({ consumer, firstTime });
    };
    const consumerFor = (name: string, afterEffect: () => void) =>
      new EventConsumer(connection, {
        groupId,
        topics: [topic],
        fromBeginning: true,
        retryBackoff: { initialMs: 20, maxMs: 20 },
        handler: async (record) => {
          await applyEffectOnce(name, record);
          afterEffect();
        },
      });

    // The first consumer "dies" right after its effect committed: the handler never resolves
    // successfully, so its offset is never committed; then it leaves the group.
    const doomed = consumerFor('doomed', () => {
      throw new Error('crashed before the offset commit');
    });
    await doomed.start();
    const publisher = new EventPublisher(connection);
    await publisher.publish([{ topic, key: event.streamId, value: JSON.stringify(event) }]);
    await deliveries.until((items) => items.length >= 1);
    await doomed.stop();

    const successor = consumerFor('successor', () => undefined);
    await successor.start();
    await deliveries.until((items) => items.some((d) => d.consumer === 'successor'));
    await successor.stop();
    await publisher.disconnect();

    expect(deliveries.items[0]).toEqual({ consumer: 'doomed', firstTime: true });
    expect(deliveries.items.filter((d) => d.consumer === 'successor')).toEqual([{ consumer: 'successor', firstTime: false }]);
    const { rows } = await pool.query(`SELECT count(*)::int AS effects FROM "${schema}".effects`);
    expect(rows).toEqual([{ effects: 1 }]);
  });
});
