import { PostgresEventStore } from '@taskrouter/event-store';
import { EventPublisher, KafkaConnection } from '@taskrouter/messaging';
import { testDatabaseUrl, testKafkaBrokers, uniqueName } from '@taskrouter/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { ConsumerGroupLag } from './consumer-group-lag';
import { readRelayBacklog } from './relay-backlog';

describe("the relay's backlog, read from Postgres", () => {
  const schema = uniqueName('adm');
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
  const store = new PostgresEventStore(pool, { schema });
  const relay = `outbox-relay:${schema}.events`;

  beforeAll(() => store.migrate());
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('counts every event when the relay has no checkpoint yet, then those after its checkpoint, up to the cap', async () => {
    expect(await readRelayBacklog(pool, schema, relay, 100)).toEqual({ unrelayed: 0, logHead: 0 });
    const first = await store.append([{ streamId: 'task:a', expectedVersion: 0, events: [{ type: 'TaskCreated', data: {} }, { type: 'TaskUpdated', data: {} }] }]);
    await store.append([{ streamId: 'task:b', expectedVersion: 0, events: [{ type: 'TaskCreated', data: {} }] }]);
    const [last] = await store.append([{ streamId: 'task:c', expectedVersion: 0, events: [{ type: 'TaskCreated', data: {} }] }]);
    expect(await readRelayBacklog(pool, schema, relay, 100)).toEqual({ unrelayed: 4, logHead: Number(last.position) });
    expect((await readRelayBacklog(pool, schema, relay, 3)).unrelayed).toBe(3);

    await store.saveCheckpoint(relay, { transactionId: first[1].transactionId, position: first[1].position });
    expect((await readRelayBacklog(pool, schema, relay, 100)).unrelayed).toBe(2);
    await store.saveCheckpoint(relay, { transactionId: last.transactionId, position: last.position });
    expect((await readRelayBacklog(pool, schema, relay, 100)).unrelayed).toBe(0);
    // Another deployment's relay checkpoint in the same table is not ours.
    expect((await readRelayBacklog(pool, schema, 'outbox-relay:other.events', 100)).unrelayed).toBe(4);
  });

  it("walks the commit-order index from the checkpoint, not the whole table", async () => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT 1 FROM "${schema}".events e
      WHERE (e.transaction_id, e.position) > (COALESCE((SELECT c.transaction_id FROM "${schema}".checkpoints c WHERE c.name = 'x'), '0'::xid8),
        COALESCE((SELECT c.position FROM "${schema}".checkpoints c WHERE c.name = 'x'), 0)) LIMIT 10`);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    // With a handful of rows the planner may still prefer a scan; what matters is that the index is usable.
    await pool.query('SET enable_seqscan = off');
    const forced = (await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT 1 FROM "${schema}".events e
      WHERE (e.transaction_id, e.position) > (COALESCE((SELECT c.transaction_id FROM "${schema}".checkpoints c WHERE c.name = 'x'), '0'::xid8),
        COALESCE((SELECT c.position FROM "${schema}".checkpoints c WHERE c.name = 'x'), 0)) LIMIT 10`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    await pool.query('RESET enable_seqscan');
    expect(`${plan}\n${forced}`).toMatch(/Index (Only )?Scan using events_commit_order/);
    expect(forced).toMatch(/Index Cond: \(ROW\(transaction_id, "?position"?\) > ROW/);
  });
});

describe("the routing groups' lag, read from Kafka on a kept connection", () => {
  const connection = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: uniqueName('adm') });
  const lag = new ConsumerGroupLag(testKafkaBrokers(), uniqueName('adm'));
  afterAll(() => lag.close());

  it('agrees with KafkaConnection.consumerGroupLag, for a group that committed part of the topics and one that never did', async () => {
    const [tasks, config] = [uniqueName('adm_tasks'), uniqueName('adm_config')];
    await connection.ensureTopics([{ topic: tasks, partitions: 3 }, { topic: config, partitions: 2 }]);
    const publisher = new EventPublisher(connection);
    try {
      await publisher.publish([...'abcdefg'].map((key) => ({ topic: tasks, key, value: key })));
      await publisher.publish([...'xyz'].map((key) => ({ topic: config, key, value: key })));
    } finally {
      await publisher.disconnect();
    }
    const committing = uniqueName('adm_group');
    const admin = new Kafka({ brokers: testKafkaBrokers(), clientId: uniqueName('adm'), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(tasks);
      // The group committed everything of tasks' partition 0 and nothing else.
      await admin.setOffsets({ groupId: committing, topic: tasks, partitions: ends.filter((p) => p.partition === 0).map((p) => ({ partition: 0, offset: p.high })) });
    } finally {
      await admin.disconnect();
    }
    const never = uniqueName('adm_never');
    const groups = [{ groupId: committing, topics: [tasks, config] }, { groupId: never, topics: [tasks, config] }];
    const [committed, none] = await lag.sample(groups);
    expect(none).toBe(10);
    expect(committed).toBeLessThan(10);
    expect([committed, none]).toEqual([await connection.consumerGroupLag(committing, [tasks, config]), await connection.consumerGroupLag(never, [tasks, config])]);
    // Kept open: a second sample reuses the connection and reads the same.
    expect(await lag.sample(groups)).toEqual([committed, none]);
  });

  it('fails a sample when the broker cannot be reached (the next tick tries again on a new connection)', async () => {
    const unreachable = new ConsumerGroupLag(['127.0.0.1:1'], uniqueName('adm'));
    await expect(unreachable.sample([{ groupId: 'g', topics: ['t'] }])).rejects.toThrow();
    await unreachable.close();
  });
});
