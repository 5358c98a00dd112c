import { ConfigError } from './config-error';
import { readInfrastructureConfig } from './infrastructure-config';

function readError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    readInfrastructureConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readInfrastructureConfig', () => {
  it('defaults to the local services when nothing (or an empty value) is set', () => {
    const expected = {
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      redisUrl: 'redis://127.0.0.1:6379',
      kafkaBrokers: ['127.0.0.1:9092'],
      schema: 'taskrouter',
      topicPrefix: 'taskrouter',
    };
    expect(readInfrastructureConfig({})).toEqual(expected);
    expect(readInfrastructureConfig({ DATABASE_URL: '', REDIS_URL: '  ', KAFKA_BROKERS: '' })).toEqual(expected);
  });

  it('reads every variable', () => {
    expect(
      readInfrastructureConfig({
        DATABASE_URL: 'postgresql://app:secret@db.internal:6543/routing',
        REDIS_URL: 'rediss://cache:6380/2',
        KAFKA_BROKERS: 'k1:9092, k2:9092,[::1]:19092',
        TASKROUTER_SCHEMA: 'tr_test_1',
        TASKROUTER_TOPIC_PREFIX: 'tr.spec-1',
      }),
    ).toEqual({
      databaseUrl: 'postgresql://app:secret@db.internal:6543/routing',
      redisUrl: 'rediss://cache:6380/2',
      kafkaBrokers: ['k1:9092', 'k2:9092', '[::1]:19092'],
      schema: 'tr_test_1',
      topicPrefix: 'tr.spec-1',
    });
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL is not a URL/],
    [{ DATABASE_URL: 'mysql://root@127.0.0.1/test' }, /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, /^REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    [{ REDIS_URL: 'redis://127.0.0.1:99999' }, /^REDIS_URL is not a URL/],
    [{ KAFKA_BROKERS: '127.0.0.1' }, /^KAFKA_BROKERS must be a comma-separated list of host:port/],
    [{ KAFKA_BROKERS: 'kafka://127.0.0.1:9092' }, /^KAFKA_BROKERS/],
    [{ KAFKA_BROKERS: '127.0.0.1:9092,,127.0.0.1:9093' }, /^KAFKA_BROKERS/],
    [{ KAFKA_BROKERS: '127.0.0.1:0' }, /^KAFKA_BROKERS/],
    [{ TASKROUTER_SCHEMA: 'Task-Router' }, /^TASKROUTER_SCHEMA must be a lower-case Postgres identifier/],
    [{ TASKROUTER_SCHEMA: 'a'.repeat(64) }, /^TASKROUTER_SCHEMA/],
    [{ TASKROUTER_TOPIC_PREFIX: 'task router' }, /^TASKROUTER_TOPIC_PREFIX may hold only/],
  ])('rejects %j with a ConfigError naming the variable', (env, message) => {
    expect(readError(env).message).toMatch(message);
  });

  it('never echoes a password from a malformed URL', () => {
    const error = readError({ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1/test' });
    expect(error.message).toContain('mysql://root@127.0.0.1/test');
    expect(error.message).not.toContain('hunter2');
  });
});
