import { EventConsumer, EventPublisher, KafkaConnection, type MessagingLogger } from '@taskrouter/messaging';
import { freePort, prometheusSamples, sampleSum, testDatabaseUrl, testKafkaBrokers, testRedisUrl, uniqueName } from '@taskrouter/testing';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { timePostgresQueries } from './postgres-timing';
import { timeRedisCommands } from './redis-timing';
import { ServiceMetrics } from './service-metrics';
import { ServiceOperations, type OperatedService } from './service-operations';

/** The operations endpoints against the real Postgres, Redis and Kafka, and against a Postgres that is not there. */
describe('ServiceOperations', () => {
  const quiet: MessagingLogger = () => undefined;
  const topic = uniqueName('ops-topic');
  const groupId = uniqueName('ops-group');
  let kafka: KafkaConnection;
  let pool: Pool;
  let redis: Redis;
  let consumer: EventConsumer;
  let handled = 0;
  const opened: ServiceOperations[] = [];
  const pools: Pool[] = [];

  beforeAll(async () => {
    kafka = new KafkaConnection({ brokers: testKafkaBrokers(), clientId: 'ops-int', logger: quiet });
    await kafka.ensureTopics([{ topic, partitions: 2 }]);
    pool = new Pool({ connectionString: testDatabaseUrl(), max: 2 });
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    consumer = new EventConsumer(kafka, { groupId, topics: [topic], fromBeginning: true, handler: async () => void handled++ });
  });

  afterAll(async () => {
    await Promise.all(opened.map((operations) => operations.close()));
    await consumer.stop();
    redis.disconnect();
    await Promise.all([pool, ...pools].map((p) => p.end()));
  });

  const open = async (service: Partial<OperatedService> = {}, metrics = new ServiceMetrics()) => {
    const operations = await ServiceOperations.start('ops-test', { port: 0, host: '127.0.0.1', metrics, checkTimeoutMs: 1500, checkCacheMs: 0 });
    opened.push(operations);
    const get = async (path: string) => {
      const response = await fetch(`${operations.url}${path}`);
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    };
    return { operations, get, serve: () => operations.serve({ pool, schema: 'public', kafka, kafkaBrokers: testKafkaBrokers(), redis, ...service }) };
  };
  const readyBody = (text: string) => JSON.parse(text) as { status: string; failed: string[]; checks: Record<string, { ok: boolean; detail?: string }> };

  it('is live at once, and ready only once served and its consumer joined its group', async () => {
    const { operations, get, serve } = await open();
    expect(operations.announcement).toMatch(/^ops-test: operations on http:\/\/127\.0\.0\.1:\d+$/);
    expect(await get('/health/live')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    const starting = await get('/health/ready');
    expect([starting.status, readyBody(starting.text).checks.service]).toEqual([503, { ok: false, detail: 'starting', ms: 0 }]);

    serve();
    await consumer.start();
    // Started, not yet in its group: the consumers check names the group.
    const early = readyBody((await get('/health/ready')).text);
    if (early.status !== 'ready') expect(early.checks.consumers.detail ?? '').toContain(groupId);
    await consumer.joined();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(readyBody(ready.text)).toMatchObject({ status: 'ready', failed: [], checks: { postgres: { ok: true }, redis: { ok: true }, kafka: { ok: true }, consumers: { ok: true } } });

    operations.stopping();
    expect((await get('/health/ready')).status).toBe(503);
    expect((await get('/nowhere')).status).toBe(404);
  });

  it('turns ready to 503 naming postgres when Postgres does not answer', async () => {
    const closedPort = await freePort();
    const unreachable = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${closedPort}/test`, connectionTimeoutMillis: 1000 });
    unreachable.on('error', () => undefined);
    pools.push(unreachable);
    const { get, serve } = await open({ pool: unreachable });
    serve();
    const response = await get('/health/ready');
    expect(response.status).toBe(503);
    const body = readyBody(response.text);
    expect(body.failed).toEqual(['postgres']);
    expect(body.checks.postgres.detail).toContain('ECONNREFUSED');
    expect(body.checks.redis.ok).toBe(true);
  });

  it('turns ready to 503 naming kafka when no broker answers', async () => {
    const { get, serve } = await open({ kafkaBrokers: [`127.0.0.1:${await freePort()}`] });
    serve();
    const response = await get('/health/ready');
    expect([response.status, readyBody(response.text).failed]).toEqual([503, ['kafka']]);
  });

  it('serves the process metrics, the consumed records, the lag and the timed calls in the Prometheus format', async () => {
    const metrics = new ServiceMetrics();
    const timedPool = new Pool({ connectionString: testDatabaseUrl(), max: 1 });
    pools.push(timedPool);
    timePostgresQueries(timedPool, metrics.postgresQueries);
    const timedRedis = new Redis(testRedisUrl());
    timeRedisCommands(timedRedis, metrics.redisCommands);
    const { get, serve } = await open({ pool: timedPool }, metrics);
    serve();
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    await publisher.publish(Array.from({ length: 6 }, (_, i) => ({ topic, key: `k${i}`, value: `{"n":${i}}`, headers: {} })));
    await publisher.disconnect();
    await timedPool.query('SELECT 1');
    await timedRedis.ping();
    timedRedis.disconnect();
    const deadline = Date.now() + 15_000;
    while (handled < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.type).toContain('text/plain');
    const samples = prometheusSamples(response.text);
    expect(sampleSum(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sampleSum(samples, 'taskrouter_events_consumed_total', { group: groupId, topic, service: 'ops-test' })).toBe(6);
    expect(samples.filter((sample) => sample.name === 'taskrouter_consumer_lag' && sample.labels.group === groupId).map((s) => s.labels.partition).sort()).toEqual(['0', '1']);
    expect(sampleSum(samples, 'taskrouter_postgres_query_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleSum(samples, 'taskrouter_redis_command_seconds_count', { command: 'ping' })).toBe(1);
  });
});
