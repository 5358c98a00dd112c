import { testDatabaseUrl, testKafkaBrokers, testRedisUrl } from '@taskrouter/testing';
import { checkInfrastructure } from './check-infrastructure';
import { checkKafka } from './check-kafka';
import { checkPostgres } from './check-postgres';
import { checkRedis } from './check-redis';
import { ConfigError } from './config-error';

// Against the real services of this machine; port 1 on loopback is never listened on.
async function failure(check: Promise<void>): Promise<ConfigError> {
  try {
    await check;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the check to fail');
}

describe('dependency checks', () => {
  it('pass when Postgres, Redis and Kafka answer', async () => {
    await checkPostgres(testDatabaseUrl());
    await checkRedis(testRedisUrl());
    await checkKafka(testKafkaBrokers());
    await checkInfrastructure({
      databaseUrl: testDatabaseUrl(),
      redisUrl: testRedisUrl(),
      kafkaBrokers: testKafkaBrokers(),
      schema: 'taskrouter',
      topicPrefix: 'taskrouter',
    });
  });

  it('name DATABASE_URL, without the password, when Postgres is unreachable', async () => {
    const error = await failure(checkPostgres('postgres://postgres:hunter2@127.0.0.1:1/test'));
    expect(error.message).toMatch(/^Postgres is unreachable at postgres:\/\/postgres@127\.0\.0\.1:1\/test \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });

  it('name REDIS_URL, without the password, when Redis is unreachable', async () => {
    const error = await failure(checkRedis('redis://:hunter2@127.0.0.1:1'));
    expect(error.message).toMatch(/^Redis is unreachable at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\): .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });

  it('name KAFKA_BROKERS when Kafka is unreachable', async () => {
    const error = await failure(checkKafka(['127.0.0.1:1']));
    expect(error.message).toMatch(/^Kafka is unreachable at 127\.0\.0\.1:1 \(KAFKA_BROKERS\): .*ECONNREFUSED/);
  });

  it('report every unreachable dependency together', async () => {
    const error = await failure(
      checkInfrastructure({
        databaseUrl: 'postgres://postgres@127.0.0.1:1/test',
        redisUrl: testRedisUrl(),
        kafkaBrokers: ['127.0.0.1:1'],
        schema: 'taskrouter',
        topicPrefix: 'taskrouter',
      }),
    );
    expect(error.message.split('\n')).toEqual([
      expect.stringMatching(/\(DATABASE_URL\)/),
      expect.stringMatching(/\(KAFKA_BROKERS\)/),
    ]);
  });
});
