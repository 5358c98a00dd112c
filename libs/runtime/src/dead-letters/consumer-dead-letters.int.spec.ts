import { DeadLetterCounters, EventConsumer, EventPublisher, KafkaConnection, type ConsumedRecord } from '@taskrouter/messaging';
import { testDatabaseUrl, testKafkaBrokers, uniqueName } from '@taskrouter/testing';
import { Pool } from 'pg';
import { DeadLetterAdmin } from './dead-letter-admin';
import { PostgresDeadLetterStore } from './postgres-dead-letter-store';
import { Collector, collectingLogger, createTopic, deadLettersCommand, freshDeadLetterSchema, testAdmin } from './test-support/dead-letter-fixture';

interface Item { stream: string; n: number; poison?: boolean }

describe('a consumer with dead letters, on the real Postgres and Kafka', () => {
  const pool = new Pool({ connectionString: testDatabaseUrl(), max: 8 });
  const kafkaAdmin = testAdmin();
  const logger = collectingLogger();
  const connection = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: uniqueName('dl-consumer'), logger });
  const publisher = new EventPublisher(connection);
  const consumers: EventConsumer[] = [];
  const topics: string[] = [];
  let schema: string;
  let store: PostgresDeadLetterStore;
  let admin: DeadLetterAdmin;

  beforeAll(async () => {
    await kafkaAdmin.connect();
    await publisher.connect();
    schema = await freshDeadLetterSchema(pool, 'dl_consumer');
    store = new PostgresDeadLetterStore(pool, schema);
    admin = new DeadLetterAdmin(pool, schema);
    await pool.query(`CREATE TABLE "${schema}".effects (doc jsonb)`);
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await publisher.disconnect();
    await kafkaAdmin.deleteTopics({ topics }).catch(() => undefined);
    await kafkaAdmin.disconnect();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  /** One partition: every key shares it, so a poison record would hold them all without dead letters. */
  async function scenario(options: { fails?: (item: Item) => boolean } = {}) {
    const topic = await createTopic(kafkaAdmin, 'dl_consumer', 1);
    topics.push(topic);
    const groupId = uniqueName('dl_group');
    const handled = new Collector<string>();
    const calls = new Map<string, number>();
    const counters = new DeadLetterCounters();
    const state = { fixed: false };
    const handler = async (record: ConsumedRecord) => {
      const item = JSON.parse(String(record.value)) as Item;
      const name = `${item.stream}:${item.n}`;
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (!state.fixed && (options.fails ?? ((i: Item) => i.poison === true))(item)) {
        // The poison of issue 10: Postgres refuses the JSON (a lone surrogate), every time.
        await pool.query(`INSERT INTO "${schema}".effects VALUES ($1::jsonb)`, ['{"filter_friendly_name":"\\ud800"}']);
      }
      handled.record(name);
    };
    const start = async () => {
      const consumer = new EventConsumer(connection, {
        groupId, topics: [topic], fromBeginning: true, retryBackoff: { initialMs: 20, maxMs: 100 },
        deadLetters: { store, maxAttempts: 5, retryPollMs: 200, counters }, handler,
      });
      consumers.push(consumer);
      await consumer.start();
      return consumer;
    };
    const publish = (...items: Item[]) =>
      publisher.publish(items.map((item) => ({ topic, key: item.stream, value: JSON.stringify(item), headers: { 'event-type': `Type${item.n}` } })));
    const alarms = () => logger.entries.filter((e) => e.level === 'error' && e.source === 'DeadLetters' && e.details.consumer === groupId);
    return { topic, groupId, handled, calls, counters, state, start, publish, alarms, letters: () => admin.list({ consumer: groupId }) };
  }

  it('parks a record its handler fails on after 5 tries, holds only its stream, and the partition goes on', async () => {
    const s = await scenario();
    await s.start();
    const startedAt = Date.now();
    await s.publish({ stream: 'task:p', n: 1 }, { stream: 'task:p', n: 2, poison: true }, { stream: 'task:a', n: 1 }, { stream: 'task:p', n: 3 }, { stream: 'task:a', n: 2 }, { stream: 'task:b', n: 1 });

    await s.handled.until((items) => items.includes('task:b:1'));
    const elapsedMs = Date.now() - startedAt;
    const letters = await s.letters();

    // Backoff 20, 40, 80, 100 ms between the five tries: well under the bound, even with a group join.
    expect(elapsedMs).toBeLessThan(15_000);
    expect(s.handled.items).toEqual(['task:p:1', 'task:a:1', 'task:a:2', 'task:b:1']);
    expect(s.calls.get('task:p:2')).toBe(5);
    expect(s.calls.get('task:p:3')).toBeUndefined();
    expect(letters.map((l) => [l.status, l.streamKey, l.offset])).toEqual([['parked', 'task:p', '1'], ['held', 'task:p', '3']]);
    expect(letters[0]).toMatchObject({
      consumer: s.groupId, topic: s.topic, partition: 0, eventType: 'Type2', attempts: 5, headers: { 'event-type': 'Type2' },
      value: JSON.stringify({ stream: 'task:p', n: 2, poison: true }), error: expect.stringMatching(/surrogate|Unicode/i),
      firstFailedAt: expect.any(Date), parkedAt: expect.any(Date), retryRequestedAt: null,
    });
    expect(letters[1]).toMatchObject({ error: null, attempts: 0 });
    expect(s.alarms()).toHaveLength(1);
    expect(s.alarms()[0].details).toMatchObject({ streamKey: 'task:p', offset: '1', attempts: 5, parkedSinceStart: 1 });
    expect(s.counters.snapshot().byConsumer[s.groupId]).toEqual({ parked: 1, held: 1, retried: 0, reparked: 0 });
    expect(await admin.summary()).toContainEqual({ consumer: s.groupId, parked: 1, held: 1, markedForRetry: 0 });
  });

  it('re-handles a stream in order after `npm run dead-letters -- retry` once the handler is fixed', async () => {
    const s = await scenario();
    await s.start();
    await s.publish({ stream: 'task:p', n: 1 }, { stream: 'task:p', n: 2, poison: true }, { stream: 'task:p', n: 3 }, { stream: 'task:a', n: 1 });
    await s.handled.until((items) => items.includes('task:a:1'));
    s.state.fixed = true;

    const retry = await deadLettersCommand(schema, ['retry', '--stream', 'task:p', '--group', s.groupId, '--wait']);
    await s.publish({ stream: 'task:p', n: 4 });
    await s.handled.until((items) => items.includes('task:p:4'));

    expect(retry).toMatchObject({ status: 0, stdout: expect.stringContaining('marked 2 dead letters for retry') });
    expect(retry.stdout).toContain('retried: no dead letters left');
    expect(s.handled.items.filter((name) => name.startsWith('task:p'))).toEqual(['task:p:1', 'task:p:2', 'task:p:3', 'task:p:4']);
    expect(await s.letters()).toEqual([]);
    expect(s.counters.snapshot().byConsumer[s.groupId]).toMatchObject({ parked: 1, held: 1, retried: 2 });
  });

  it('parks a retried record again while the handler still fails, the stream staying held', async () => {
    const s = await scenario();
    await s.start();
    await s.publish({ stream: 'task:p', n: 1, poison: true }, { stream: 'task:p', n: 2 }, { stream: 'task:a', n: 1 });
    await s.handled.until((items) => items.includes('task:a:1'));

    const retry = await deadLettersCommand(schema, ['retry', '--all', '--group', s.groupId, '--wait']);
    const letters = await s.letters();

    expect(retry.status).toBe(0);
    expect(s.calls.get('task:p:1')).toBe(10);
    expect(s.handled.items).toEqual(['task:a:1']);
    expect(letters.map((l) => [l.status, l.attempts, l.retries, l.retryRequestedAt])).toEqual([['parked', 10, 1, null], ['held', 0, 0, null]]);
    expect(s.alarms()).toHaveLength(2);
  });

  it('drops one letter (its stream then retried) or a whole stream (never handled)', async () => {
    const s = await scenario();
    await s.start();
    await s.publish(
      { stream: 'task:d', n: 1, poison: true }, { stream: 'task:d', n: 2 },
      { stream: 'task:e', n: 1, poison: true }, { stream: 'task:e', n: 2 }, { stream: 'task:a', n: 1 },
    );
    await s.handled.until((items) => items.includes('task:a:1'));
    const [parkedD] = await admin.list({ consumer: s.groupId, stream: 'task:d' });

    const dropOne = await deadLettersCommand(schema, ['drop', '--id', parkedD.id]);
    await s.handled.until((items) => items.includes('task:d:2'));
    const dropStream = await deadLettersCommand(schema, ['drop', '--stream', 'task:e', '--group', s.groupId]);
    await s.publish({ stream: 'task:e', n: 3 });
    await s.handled.until((items) => items.includes('task:e:3'));

    expect(dropOne).toMatchObject({ status: 0, stdout: expect.stringContaining('dropped 1 dead letter; the 1 held behind it are marked for retry') });
    expect(dropStream).toMatchObject({ status: 0, stdout: expect.stringContaining('dropped 2 dead letters') });
    expect(s.handled.items).toEqual(['task:a:1', 'task:d:2', 'task:e:3']);
    expect(s.calls.get('task:e:2')).toBeUndefined();
    expect(await s.letters()).toEqual([]);
  });

  it('does not park a record twice when Kafka delivers it again', async () => {
    const s = await scenario();
    const first = await s.start();
    await s.publish({ stream: 'task:p', n: 1 }, { stream: 'task:p', n: 2, poison: true }, { stream: 'task:p', n: 3 }, { stream: 'task:a', n: 1 });
    await s.handled.until((items) => items.includes('task:a:1'));
    const before = await s.letters();
    await first.stop();
    consumers.splice(consumers.indexOf(first), 1);

    // At-least-once: the group's committed offsets go back to the start, as after a lost commit.
    await kafkaAdmin.setOffsets({ groupId: s.groupId, topic: s.topic, partitions: [{ partition: 0, offset: '0' }] });
    await s.start();
    await s.publish({ stream: 'task:z', n: 1 });
    await s.handled.until((items) => items.includes('task:z:1'));

    expect(await s.letters()).toEqual(before);
    expect(s.calls.get('task:p:2')).toBe(5);
    expect(s.calls.get('task:p:3')).toBeUndefined();
    // What came before the dead letter is handled again (consumers are idempotent), what follows stays held.
    expect(s.handled.items).toEqual(['task:p:1', 'task:a:1', 'task:p:1', 'task:a:1', 'task:z:1']);
    expect(s.alarms()).toHaveLength(1);
  });

  it('never parks a record whose handler fails because a dependency is down', async () => {
    let outageLeft = 8;
    const s = await scenario({ fails: () => false });
    const consumer = new EventConsumer(connection, {
      groupId: s.groupId, topics: [s.topic], fromBeginning: true, retryBackoff: { initialMs: 10, maxMs: 20 },
      deadLetters: { store, maxAttempts: 2, retryPollMs: 200 },
      handler: async (record) => {
        if (outageLeft-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
        s.handled.record(JSON.parse(String(record.value)).stream);
      },
    });
    consumers.push(consumer);
    await consumer.start();
    await s.publish({ stream: 'task:r', n: 1 });
    await s.handled.until((items) => items.length >= 1);

    expect(s.handled.items).toEqual(['task:r']);
    expect(await s.letters()).toEqual([]);
    expect(logger.entries.filter((e) => e.source === 'EventConsumer' && e.details.groupId === s.groupId && e.details.transient === true)).toHaveLength(8);
  });
});
